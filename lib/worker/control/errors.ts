/** The `nodeName` option uses a `%` key Celery does not know (see formatNodeName). */
export class InvalidNodeNameError extends Error {
  override readonly name = 'InvalidNodeNameError';
  constructor(
    readonly pattern: string,
    readonly key: string,
  ) {
    super(
      `unknown format key %${key} in the node name "${pattern}": use %h, %n, %d, %i, %I, %p or %%`,
    );
  }
}
