import { ForbiddenException } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA } from '@nestjs/common/constants';
import { ExternalContextCreator } from '@nestjs/core';

/** `ExecutionContext.getType()` in an interceptor, guard or filter around a task. */
export const TASK_CONTEXT_TYPE = 'celeriac';

/**
 * The task method wrapped in Nest's enhancers, as @golevelup/nestjs-rabbitmq does:
 * guards, interceptors (`@UseInterceptors` on the method or class, and global ones)
 * and, when the method or class declares some with `@UseFilters`, exception filters.
 * `context.getArgs()` are the task's arguments; `getClass()`/`getHandler()` the provider
 * and method. Built once per task at bootstrap.
 */
export function createTaskInvoker(
  contextCreator: ExternalContextCreator,
  instance: object,
  methodName: string,
): (...args: unknown[]) => Promise<unknown> {
  const callback = (instance as Record<string, unknown>)[methodName] as (
    ...args: unknown[]
  ) => unknown;
  const filters =
    hasMetadata(EXCEPTION_FILTERS_METADATA, callback) ||
    hasMetadata(EXCEPTION_FILTERS_METADATA, instance.constructor);
  return contextCreator.create(
    instance,
    callback,
    methodName,
    undefined,
    undefined,
    undefined,
    undefined,
    { guards: true, interceptors: true, filters },
    TASK_CONTEXT_TYPE,
  ) as (...args: unknown[]) => Promise<unknown>;
}

/**
 * A refusal: what Nest throws when a guard returns false (`ForbiddenException`,
 * "Forbidden resource"), or what a task throws to say it is not allowed. Final: a
 * retry would get the same answer.
 */
export function isRefusal(error: unknown): boolean {
  return error instanceof ForbiddenException;
}

function hasMetadata(key: string, target: unknown): boolean {
  if (typeof target !== 'function') return false;
  const value = Reflect.getMetadata(key, target) as unknown[] | undefined;
  return Array.isArray(value) && value.length > 0;
}
