import { randomUUID } from 'node:crypto';
import {
  SignatureDict,
  TaskEmbed,
  TaskRequest,
  groupMembers,
  readSignature,
  readSignatures,
} from '../protocol';
import { ResultBackend } from '../results/result-backend';
import { CanvasError } from './errors';
import { chordHeaderParts, markChainPart, partResultId } from './chord-header';
import { SendOptions } from './send-options';
import type { MessageLinks } from './task-client.service';

/** Sends one task with its links (TaskClient.sendLinked). */
export type LinkedSend = (
  name: string,
  args: unknown[],
  options: SendOptions,
  links: MessageLinks,
) => Promise<unknown>;

/** Where the signature being applied sits: Celery's apply_async extra options. */
export interface ApplyPlace {
  parentId?: string | null;
  rootId?: string | null;
  /** What runs after it, reversed (the next step last), as the embed carries it. */
  chain?: SignatureDict[];
  group?: string | null;
  groupIndex?: number | null;
  /** The chord body its end counts toward. */
  chord?: SignatureDict | null;
  /** The task whose run sends it (a worker following a workflow), for tracing. */
  sentBy?: TaskRequest;
}

/** What applying sent: the id to wait on, and the members of a group or chord header. */
export interface Applied {
  id: string;
  kind: 'task' | 'group' | 'chord';
  members: Applied[];
  /** The step before it in a chain (a chord's is its header). */
  parent?: Applied;
}

/**
 * Applies signatures in their dict form as Celery's `Signature.apply_async` does, for
 * one task, `chain`, `group` and `chord`: the given args go before the signature's
 * partial args (not for an immutable one), `link` / `link_error` become the embed's
 * callbacks / errbacks, a chain's rest travels reversed in the first step's embed, and
 * a chord sets its size on the backend's counter before its header is sent.
 */
export class CanvasApplier {
  constructor(
    private readonly send: LinkedSend,
    private readonly backend: ResultBackend,
  ) {}

  async apply(
    signature: SignatureDict,
    args: unknown[] = [],
    place: ApplyPlace = {},
  ): Promise<Applied> {
    switch (signature.subtask_type) {
      case 'chain':
        return this.applyChain(signature, args, place);
      case 'group':
        return this.applyGroup(signature, args, place);
      case 'chord':
        return this.applyChord(signature, args, place);
      case null:
      case 'xmap':
      case 'xstarmap':
        return this.applyTask(signature, args, place);
      case 'chunks':
        return this.applyGroup(chunksGroup(signature), args, place);
      default:
        throw new CanvasError(
          `signature ${signature.task}: subtask_type ${JSON.stringify(signature.subtask_type)} is not supported`,
        );
    }
  }

  private async applyTask(
    signature: SignatureDict,
    args: unknown[],
    place: ApplyPlace,
  ): Promise<Applied> {
    const options = signature.options;
    const id = stringOption(options.task_id) ?? randomUUID();
    const chain = place.chain ?? readSignatures(options.chain, 'chain option');
    const embed: TaskEmbed = {
      callbacks: listOption(options.link),
      errbacks: listOption(options.link_error),
      chain: chain.length > 0 ? chain : null,
      chord: place.chord ?? options.chord ?? null,
    };
    await this.send(
      signature.task,
      signature.immutable ? signature.args : [...args, ...signature.args],
      { ...sendOptionsOf(options), taskId: id, kwargs: signature.kwargs },
      {
        embed,
        replyTo: stringOption(options.reply_to),
        sentBy: place.sentBy,
        parentId: place.parentId ?? stringOption(options.parent_id),
        rootId: place.rootId ?? stringOption(options.root_id),
        group: place.group ?? stringOption(options.group_id),
        groupIndex:
          place.groupIndex ??
          (typeof options.group_index === 'number'
            ? options.group_index
            : null),
      },
    );
    return { id, kind: 'task', members: [] };
  }

  /**
   * The first step is sent with the rest reversed in its embed. A group followed by a
   * step becomes a chord with that step as body, as Celery upgrades it.
   */
  private async applyChain(
    signature: SignatureDict,
    args: unknown[],
    place: ApplyPlace,
  ): Promise<Applied> {
    const steps = upgradeGroups(
      readSignatures(signature.kwargs.tasks, `chain ${signature.task} tasks`),
    );
    if (steps.length === 0)
      throw new CanvasError('a chain needs at least one step');
    for (const step of steps) {
      step.options = { task_id: randomUUID(), ...step.options };
      if (step.subtask_type === 'chord') {
        const body = readSignature(step.kwargs.body, 'chord body');
        body.options = { task_id: randomUUID(), ...body.options };
        step.kwargs = { ...step.kwargs, body };
      }
    }
    const [first, ...rest] = steps;
    const chain = [...rest].reverse().concat(place.chain ?? []);
    let applied = await this.apply(first, args, { ...place, chain });
    for (const step of rest) {
      const kind = step.subtask_type === 'chord' ? 'chord' : 'task';
      const id =
        kind === 'chord'
          ? stringOption(
              readSignature(step.kwargs.body, 'chord body').options.task_id,
            )
          : stringOption(step.options.task_id);
      applied = { id: id ?? '', kind, members: [], parent: applied };
    }
    return applied;
  }

  private async applyGroup(
    signature: SignatureDict,
    args: unknown[],
    place: ApplyPlace,
  ): Promise<Applied> {
    const groupId = stringOption(signature.options.task_id) ?? randomUUID();
    const members: Applied[] = [];
    let index = 0;
    for (const member of groupMembers(signature)) {
      members.push(
        await this.apply(member, args, {
          parentId: place.parentId,
          rootId: place.rootId,
          sentBy: place.sentBy,
          group: groupId,
          groupIndex: index++,
        }),
      );
    }
    return { id: groupId, kind: 'group', members };
  }

  /** Celery's native chord: the size first, then every header part carrying the body. */
  private async applyChord(
    signature: SignatureDict,
    args: unknown[],
    place: ApplyPlace,
  ): Promise<Applied> {
    const header = headerOf(signature.kwargs.header);
    let body = readSignature(signature.kwargs.body, 'chord body');
    body = {
      ...body,
      options: { task_id: randomUUID(), ...body.options },
    };
    if (place.chain && place.chain.length > 0)
      body = chainAfter(body, [...place.chain].reverse());
    const bodyId = bodyIdOf(body);
    if (this.backend.refusesChords)
      throw new CanvasError(
        `the ${this.backend.kind} result backend cannot run chords: ${this.backend.refusesChords}; ` +
          `use redis:// or db+postgresql:// results`,
      );
    const groupId =
      stringOption(signature.options.task_id) ??
      stringOption(
        (signature.kwargs.header as { options?: Record<string, unknown> })
          ?.options?.task_id,
      ) ??
      randomUUID();
    const parts = chordHeaderParts(header);
    if (parts.length === 0) {
      await this.apply(body, [[]], {
        parentId: place.parentId,
        rootId: place.rootId,
      });
      return { id: bodyId, kind: 'chord', members: [] };
    }
    const counted = this.backend.addChordPart !== undefined;
    if (counted && this.backend.setChordSize)
      await this.backend.setChordSize(groupId, parts.length);
    const members: Applied[] = [];
    let index = 0;
    for (const part of parts) {
      const groupIndex = index++;
      const where = {
        parentId: place.parentId,
        rootId: place.rootId,
        sentBy: place.sentBy,
      };
      members.push(
        part.subtask_type === 'chain'
          ? await this.apply(
              markChainPart(part, { groupId, groupIndex, chord: body }),
              args,
              where,
            )
          : await this.apply(part, args, {
              ...where,
              group: groupId,
              groupIndex,
              chord: body,
            }),
      );
    }
    // After the header (Celery sends it before): in eager mode the header has run by
    // then, and a header that failed to send leaves no unlock polling forever.
    if (!counted) await this.sendChordUnlock(groupId, body, parts);
    return {
      id: bodyId,
      kind: 'chord',
      members,
      parent: { id: groupId, kind: 'group', members },
    };
  }

  private async sendChordUnlock(
    groupId: string,
    body: SignatureDict,
    parts: SignatureDict[],
  ): Promise<void> {
    const call = chordUnlockCall(groupId, body, parts);
    await this.send(
      'celery.chord_unlock',
      call.args,
      { ...call.options, kwargs: call.kwargs },
      {},
    );
  }
}

/**
 * Celery's fallback_chord_unlock: a backend without a chord counter joins the chord by
 * `celery.chord_unlock`, sent with a countdown of 1 s, to the body's queue. It polls the header's results and calls the body once all are ready.
 */
function chordUnlockCall(
  groupId: string,
  body: SignatureDict,
  parts: SignatureDict[],
): { args: unknown[]; kwargs: Record<string, unknown>; options: SendOptions } {
  const options: SendOptions = { countdown: 1, ignoreResult: true };
  const queue =
    stringOption(body.options.queue) ?? stringOption(body.options.routing_key);
  if (queue) options.queue = queue;
  if (typeof body.options.priority === 'number')
    options.priority = body.options.priority;
  return {
    args: [groupId, body],
    kwargs: {
      interval: null,
      max_retries: null,
      result: parts.map((part) => [[partResultId(part), null], null]),
    },
    options,
  };
}

/** Celery's `chunks.group()`: a group of `celery.starmap`, `n` items each. */
function chunksGroup(signature: SignatureDict): SignatureDict {
  const { task, it, n } = signature.kwargs;
  if (!Array.isArray(it))
    throw new CanvasError(`chunks of ${String(task)}: it is not a list`);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new CanvasError(
      `chunks: n must be a positive integer, got ${JSON.stringify(n)}`,
    );
  const { task_id: groupId, ...options } = signature.options;
  const tasks: SignatureDict[] = [];
  for (let start = 0; start < it.length; start += n) {
    tasks.push({
      task: 'celery.starmap',
      args: [],
      kwargs: { task, it: it.slice(start, start + n) },
      options: { ...options },
      subtask_type: 'xstarmap',
      immutable: true,
    });
  }
  return {
    task: 'celery.group',
    args: [],
    kwargs: { tasks },
    options: groupId === undefined ? {} : { task_id: groupId },
    subtask_type: 'group',
    immutable: false,
  };
}

/** The id a chord's body (or the last step of a chain body) will store its result under. */
function bodyIdOf(body: SignatureDict): string {
  if (body.subtask_type === 'chain') {
    const steps = readSignatures(body.kwargs.tasks, 'chain tasks');
    const last = steps[steps.length - 1];
    return stringOption(last?.options.task_id) ?? '';
  }
  return stringOption(body.options.task_id) ?? '';
}

/** `body | rest...` as one chain signature, every step with its id fixed now. */
function chainAfter(body: SignatureDict, rest: SignatureDict[]): SignatureDict {
  const tasks = [body, ...rest].map((step) => ({
    ...step,
    options: { task_id: randomUUID(), ...step.options },
  }));
  return {
    task: 'celery.chain',
    args: [],
    kwargs: { tasks },
    options: {},
    subtask_type: 'chain',
    immutable: false,
  };
}

function upgradeGroups(steps: SignatureDict[]): SignatureDict[] {
  const out: SignatureDict[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.subtask_type === 'group' && i + 1 < steps.length) {
      out.push(chordSignature(step, steps[++i]));
    } else out.push(step);
  }
  return out;
}

/** A chord's dict form, as Celery's `chord(header, body)` writes it. */
export function chordSignature(
  header: SignatureDict,
  body: SignatureDict,
  options: Record<string, unknown> = {},
): SignatureDict {
  return {
    task: 'celery.chord',
    args: [],
    kwargs: { kwargs: {}, header, body },
    options,
    subtask_type: 'chord',
    immutable: false,
  };
}

function headerOf(value: unknown): SignatureDict[] {
  if (Array.isArray(value)) return readSignatures(value, 'chord header');
  const header = readSignature(value, 'chord header');
  return header.subtask_type === 'group' ? groupMembers(header) : [header];
}

function stringOption(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function listOption(value: unknown): unknown[] | null {
  if (value === null || value === undefined) return null;
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** Celery's execution options of a signature, as a call's SendOptions. */
function sendOptionsOf(options: Record<string, unknown>): SendOptions {
  const send: SendOptions = {};
  const queue =
    stringOption(options.queue) ?? stringOption(options.routing_key);
  if (queue) send.queue = queue;
  if (typeof options.countdown === 'number') send.countdown = options.countdown;
  if (typeof options.eta === 'string') send.eta = options.eta;
  if (
    typeof options.expires === 'number' ||
    typeof options.expires === 'string'
  )
    send.expires =
      typeof options.expires === 'string'
        ? new Date(options.expires)
        : options.expires;
  if (typeof options.priority === 'number') send.priority = options.priority;
  if (typeof options.ignore_result === 'boolean')
    send.ignoreResult = options.ignore_result;
  if (typeof options.time_limit === 'number')
    send.timeLimit = options.time_limit;
  if (typeof options.soft_time_limit === 'number')
    send.softTimeLimit = options.soft_time_limit;
  return send;
}
