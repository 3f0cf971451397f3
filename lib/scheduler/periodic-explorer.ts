import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { getPeriodicMetadata } from '../decorators/periodic.decorator';
import { getTaskMetadata } from '../decorators/task.decorator';
import { InvalidScheduleError } from './errors';
import { ScheduleRegistry } from './schedule-registry';
import { toDefinition } from './to-definition';

/**
 * Finds every @Periodic method on the providers of every module and registers its
 * schedule(s), checked: a bad cron expression, interval or time zone fails the
 * bootstrap with the method and the value. Runs in onModuleInit, before beat starts.
 * (The method's task is registered by the TaskExplorer: @Periodic implies @Task.)
 */
@Injectable()
export class PeriodicExplorer implements OnModuleInit {
  private readonly logger = new Logger('Beat');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly registry: ScheduleRegistry,
  ) {}

  onModuleInit(): void {
    const seen = new Set<object>();
    let count = 0;
    for (const wrapper of this.discovery.getProviders())
      count += this.explore(wrapper, seen);
    if (count > 0) this.logger.log(`Found ${count} periodic schedule(s)`);
  }

  private explore(wrapper: InstanceWrapper, seen: Set<object>): number {
    const instance = wrapper.instance as unknown;
    const prototype =
      instance !== null && typeof instance === 'object'
        ? (Object.getPrototypeOf(instance) as object | null)
        : ((wrapper.metatype as { prototype?: object } | null)?.prototype ??
          null);
    // A class provided twice (exported and re-provided) declares its schedules once.
    if (!prototype || prototype === Object.prototype || seen.has(prototype))
      return 0;
    seen.add(prototype);
    let count = 0;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = (prototype as Record<string, unknown>)[methodName];
      const entries = getPeriodicMetadata(method);
      if (entries.length === 0) continue;
      const where = `${prototype.constructor?.name ?? String(wrapper.name)}.${methodName}`;
      const task = getTaskMetadata(method)?.name ?? where;
      for (const entry of entries) {
        if (entry.name !== undefined && entry.name !== task) {
          throw new InvalidScheduleError(
            `@Periodic on ${where}: name "${entry.name}" differs from the task's name "${task}" ` +
              `given by @Task; name the task in one place (a schedule's own name is \`scheduleName\`)`,
          );
        }
        this.registry.register(
          toDefinition({
            spec: entry,
            name: entry.scheduleName ?? task,
            task,
            args: entry.args,
            kwargs: entry.kwargs,
            queue: entry.queue,
            priority: entry.priority,
            expires: entry.expires,
            catchUp: entry.catchUp,
            source: 'decorator',
            origin: `@Periodic on ${where}`,
          }),
        );
        count++;
      }
    }
    return count;
  }
}
