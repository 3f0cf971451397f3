import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  DiscoveryService,
  ExternalContextCreator,
  MetadataScanner,
  ModulesContainer,
} from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { getTaskHookMetadata } from '../decorators/task-hooks.decorator';
import { getTaskMetadata } from '../decorators/task.decorator';
import { ResolvedOptions } from '../options/resolve-options';
import { RESOLVED_OPTIONS } from '../options/tokens';
import { resolveTaskPolicy } from './task-policy';
import { TaskEvent, TaskHooks } from './task-hooks.service';
import { injectsTaskContext } from './task-context-usage';
import { ProviderMethod, providerMethods } from './provider-methods';
import { createTaskInvoker } from './task-invoker';
import { taskSignatureOf } from './task-signature';
import { TaskRegistry } from './task.registry';
import { ScopedTaskProviderError } from './errors';

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
    private readonly hooks: TaskHooks,
    private readonly contextCreator: ExternalContextCreator,
    private readonly modules: ModulesContainer,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  onModuleInit(): void {
    for (const entry of providerMethods(this.discovery, this.scanner))
      this.explore(entry);
    this.registry.tracksTaskContext = injectsTaskContext(this.modules);
    // Celery's built-in tasks (celery.map...) are not counted, as inspect leaves them out.
    const own = this.registry.names().filter((n) => !n.startsWith('celery.'));
    this.logger.log(`Registered ${own.length} task(s)`);
  }

  private explore({
    wrapper,
    instance: value,
    className,
    methodName,
    method,
    prototype,
  }: ProviderMethod): void {
    // A primitive or function value: methods found on its metatype are not its own.
    if (value !== undefined && value !== null && typeof value !== 'object')
      return;
    const instance = value as Record<string, unknown> | undefined;
    this.registerHooks(wrapper, instance, method, `${className}.${methodName}`);
    const metadata = getTaskMetadata(method);
    if (!metadata) return;
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
      invoke: createTaskInvoker(this.contextCreator, instance, methodName),
      signature: taskSignatureOf(metadata.name, prototype, methodName),
      policy: resolveTaskPolicy(
        metadata,
        this.options.taskDefaults,
        this.options.rateLimitStore !== null,
      ),
    });
  }

  /** @OnTaskSuccess / @OnTaskFailure / @OnTaskRetry methods (singletons only). */
  private registerHooks(
    wrapper: InstanceWrapper,
    instance: Record<string, unknown> | undefined,
    method: unknown,
    label: string,
  ): void {
    const hooks = getTaskHookMetadata(method);
    if (hooks.length === 0) return;
    if (!wrapper.isDependencyTreeStatic() || !instance) {
      this.logger.warn(
        `Task hook ${label} is on a request- or transient-scoped provider: ignored (hooks need a singleton)`,
      );
      return;
    }
    const call = (method as (event: TaskEvent) => unknown).bind(instance);
    for (const hook of hooks)
      this.hooks.register(hook.kind, hook.tasks, label, call);
  }
}
