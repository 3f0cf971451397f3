/**
 * Tasks by name, for `TaskClient.send`: empty here, filled by your app with module
 * augmentation, one entry per task name with the task's signature. A name in the map is
 * sent with arguments of those types and gives an `AsyncResult` of the (awaited) result
 * type; a name outside it stays untyped. Fits tasks that live in another service or in
 * Python, whose code this app does not import. See the README, "Sending tasks".
 *
 * ```ts
 * declare module 'celeriac' {
 *   interface TaskMap {
 *     'billing.charge': (customerId: string, cents: number) => { receipt: string };
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by augmentation
export interface TaskMap {}

/** The task names of `TaskMap`. */
export type MappedTaskName = Extract<keyof TaskMap, string>;

/** The arguments of the mapped task `N`, as a tuple. */
export type MappedTaskArgs<N extends MappedTaskName> = TaskMap[N] extends (
  ...args: infer A
) => unknown
  ? A
  : never;

/** What the mapped task `N` resolves to. */
export type MappedTaskResult<N extends MappedTaskName> = TaskMap[N] extends (
  ...args: never[]
) => infer R
  ? Awaited<R>
  : never;

/** `N` when it is not a name of `TaskMap`; `never` (a compile error) when it is. */
export type UnmappedTaskName<N extends string> = N extends MappedTaskName
  ? never
  : N;
