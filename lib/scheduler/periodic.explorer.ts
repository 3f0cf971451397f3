import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { getPeriodicMetadata } from '../decorators/periodic.decorator';
import { getTaskMetadata } from '../decorators/task.decorator';
import { ProviderMethod, providerMethods } from '../registry/provider-methods';
import { InvalidScheduleError } from './errors';
import { ScheduleRegistry } from './schedule.registry';
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
    // A class provided twice (in two modules, or as two useValue/useFactory providers)
    // declares its schedules once: the first provider found with its prototype owns
    // them. Not done in the shared scan: TaskExplorer must see both providers, so that
    // a task class provided twice still fails the bootstrap as a duplicate task name.
    // (useExisting aliases never get here: the scan skips them.)
    const owners = new Map<object, InstanceWrapper>();
    let count = 0;
    for (const found of providerMethods(this.discovery, this.scanner)) {
      const owner = owners.get(found.prototype) ?? found.wrapper;
      owners.set(found.prototype, owner);
      if (owner === found.wrapper) count += this.explore(found);
    }
    // Beat says how many it runs when it starts; other processes need not hear of them.
    if (count > 0) this.logger.debug(`Found ${count} periodic schedule(s)`);
  }

  /** Registers the schedules of one method; returns how many. */
  private explore({ className, methodName, method }: ProviderMethod): number {
    const entries = getPeriodicMetadata(method);
    if (entries.length === 0) return 0;
    const where = `${className}.${methodName}`;
    const task = getTaskMetadata(method)?.name ?? where;
    let count = 0;
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
    return count;
  }
}
