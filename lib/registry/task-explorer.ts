import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { getTaskMetadata } from '../decorators/task.decorator';
import { TaskRegistry } from './task-registry';

export class ScopedTaskProviderError extends Error {
  override readonly name = 'ScopedTaskProviderError';
  constructor(className: string, methodName: string) {
    super(
      `@Task ${className}.${methodName} is on a request- or transient-scoped provider ` +
        `(or one that depends on such a provider). Tasks run outside any HTTP request, so ` +
        `their providers must be singletons (the default scope): move the task to a singleton provider.`,
    );
  }
}

/**
 * Finds every @Task method on the providers of every module (class, useFactory and
 * useValue providers alike) and registers it. Runs in onModuleInit, so the registry is
 * complete before any worker starts (workers start in onApplicationBootstrap).
 */
@Injectable()
export class TaskExplorer implements OnModuleInit {
  private readonly logger = new Logger('TaskQueue');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: TaskRegistry,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) this.explore(wrapper);
    this.logger.log(`Registered ${this.registry.names().length} task(s)`);
  }

  private explore(wrapper: InstanceWrapper): void {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (
      instance !== undefined &&
      instance !== null &&
      typeof instance !== 'object'
    )
      return;
    const prototype = instance
      ? (Object.getPrototypeOf(instance) as object | null)
      : ((wrapper.metatype as { prototype?: object } | null)?.prototype ??
        null);
    if (!prototype || prototype === Object.prototype) return;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName];
      const metadata = getTaskMetadata(method);
      if (!metadata) continue;
      const className = prototype.constructor?.name ?? String(wrapper.name);
      if (!wrapper.isDependencyTreeStatic() || !instance) {
        throw new ScopedTaskProviderError(className, methodName);
      }
      const bound = (method as (...args: unknown[]) => unknown).bind(instance);
      this.registry.register({
        name: metadata.name,
        options: metadata,
        className,
        methodName,
        run: bound,
      });
    }
  }
}
