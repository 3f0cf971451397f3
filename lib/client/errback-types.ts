/**
 * What a new-style errback gets first: the failed task's request (Celery's `Context`,
 * with its names in camelCase).
 */
export interface ErrbackRequest {
  id: string;
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  rootId: string | null;
  parentId: string | null;
  group: string | null;
  retries: number;
}

/**
 * What a new-style errback gets second: the failure (a TaskFailedError). Declare the
 * parameter with this interface: a class type cannot be a task parameter.
 */
export interface ErrbackError {
  readonly taskId: string;
  readonly excType: string;
  readonly excMessage: string;
  readonly excModule: string;
  readonly message: string;
}
