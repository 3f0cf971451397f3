import { randomUUID } from 'node:crypto';
import { SignatureDict, groupMembers, readSignatures } from '../protocol';
import { CanvasError } from './errors';

/**
 * A chord header as Celery freezes it (`group._freeze_group_tasks`): groups in it are
 * unrolled into their tasks, each task counting once; a chain counts once, by its last
 * step, which carries the chord. Every part gets its task id now (the chord's result
 * tuples and `celery.chord_unlock` need them). A chord in a header is refused.
 */
export function chordHeaderParts(header: SignatureDict[]): SignatureDict[] {
  return header.flatMap((part) => {
    switch (part.subtask_type) {
      case null:
        return [withId(part)];
      case 'group':
        return chordHeaderParts(groupMembers(part));
      case 'chain': {
        const steps = readSignatures(part.kwargs.tasks, 'chain tasks').map(
          withId,
        );
        const last = steps[steps.length - 1];
        if (!last || last.subtask_type !== null)
          throw new CanvasError(
            'a chain in a chord header must end with a single task',
          );
        return [{ ...part, kwargs: { ...part.kwargs, tasks: steps } }];
      }
      default:
        throw new CanvasError(
          `a ${part.subtask_type ?? 'task'} in a chord header is not supported: give it tasks, groups or chains`,
        );
    }
  });
}

/** The id a header part's result is stored under (a chain's: its last step's). */
export function partResultId(part: SignatureDict): string {
  const step = part.subtask_type === 'chain' ? lastStep(part) : part;
  return step.options.task_id as string;
}

/**
 * A header part with its place in the chord: a task carries it in its own message; a
 * chain's last step carries it in its options, read when the step before sends it.
 */
export function markChainPart(
  part: SignatureDict,
  place: { groupId: string; groupIndex: number; chord: SignatureDict },
): SignatureDict {
  const steps = readSignatures(part.kwargs.tasks, 'chain tasks');
  const last = steps[steps.length - 1];
  steps[steps.length - 1] = {
    ...last,
    options: {
      ...last.options,
      group_id: place.groupId,
      group_index: place.groupIndex,
      chord: place.chord,
    },
  };
  return { ...part, kwargs: { ...part.kwargs, tasks: steps } };
}

function lastStep(chain: SignatureDict): SignatureDict {
  const steps = readSignatures(chain.kwargs.tasks, 'chain tasks');
  return steps[steps.length - 1];
}

function withId(signature: SignatureDict): SignatureDict {
  return {
    ...signature,
    options: { task_id: randomUUID(), ...signature.options },
  };
}
