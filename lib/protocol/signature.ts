import { MalformedMessageError } from './errors';

/**
 * A Celery signature in its dict form, as it travels in a message's embed (`chain`,
 * `callbacks`, `errbacks`, `chord`) and in canvas kwargs: all six keys, as Celery's
 * `Signature.__init__` writes them. `subtask_type` is null for one task, else
 * 'chain' | 'group' | 'chord' (their members are in `kwargs`).
 */
export interface SignatureDict {
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** Execution options: `task_id`, `queue`, `priority`, `countdown`, `link`, `link_error`... */
  options: Record<string, unknown>;
  subtask_type: string | null;
  immutable: boolean;
  /** Celery >= 5.1 writes it on chords and groups; null elsewhere. */
  chord_size?: number | null;
}

/** Reads a signature from a message; throws MalformedMessageError naming `where`. */
export function readSignature(value: unknown, where: string): SignatureDict {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new MalformedMessageError(`${where} is not a signature`);
  const dict = value as Record<string, unknown>;
  if (typeof dict.task !== 'string' || dict.task === '')
    throw new MalformedMessageError(`${where} has no task name`);
  const args = dict.args ?? [];
  if (!Array.isArray(args))
    throw new MalformedMessageError(`${where}: args is not a list`);
  const kwargs = dict.kwargs ?? {};
  const options = dict.options ?? {};
  if (typeof kwargs !== 'object' || Array.isArray(kwargs))
    throw new MalformedMessageError(`${where}: kwargs is not a mapping`);
  if (typeof options !== 'object' || Array.isArray(options))
    throw new MalformedMessageError(`${where}: options is not a mapping`);
  return {
    task: dict.task,
    args,
    kwargs: kwargs as Record<string, unknown>,
    options: options as Record<string, unknown>,
    subtask_type:
      typeof dict.subtask_type === 'string' ? dict.subtask_type : null,
    immutable: dict.immutable === true,
    ...(dict.chord_size !== undefined
      ? { chord_size: dict.chord_size as number | null }
      : {}),
  };
}

/** Reads a list of signatures (an embed's `chain`, `callbacks`, `errbacks`); null is empty. */
export function readSignatures(value: unknown, where: string): SignatureDict[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value))
    throw new MalformedMessageError(`${where} is not a list of signatures`);
  return value.map((item, index) => readSignature(item, `${where}[${index}]`));
}

/** The members of a group signature (`kwargs.tasks`). */
export function groupMembers(group: SignatureDict): SignatureDict[] {
  return readSignatures(group.kwargs.tasks, `group ${group.task} tasks`);
}
