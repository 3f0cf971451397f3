import { SignatureDict } from '../protocol';
import { chordSignature } from './canvas-applier';
import { GroupResult } from './group-result';
import { Signature, SignatureApplier } from './signature';

/** What a signature returns. */
export type ResultOf<S> = S extends Signature<any, infer R, any> ? R : never;

/** What one chord header member adds to the body's list: a group, each of its results. */
type PartResults<P> =
  P extends Signature<any, infer R, GroupResult<any>>
    ? R extends readonly unknown[]
      ? R
      : R[]
    : [ResultOf<P>];

/** The list a chord body gets: header results in order, groups unrolled (as Celery does). */
export type HeaderResults<S extends readonly unknown[]> = S extends readonly [
  infer H,
  ...infer T,
]
  ? [...PartResults<H>, ...HeaderResults<T>]
  : S extends readonly []
    ? []
    : PartResults<S[number]>[number][];

type AnySignature = Signature<any, any, any>;

/**
 * Celery's `chain(a, b, c)`: each step gets the previous step's result as first
 * argument (unless it is immutable, `.si()`). Typed step by step: a step whose first
 * parameter does not accept the previous result does not compile (signatures by name
 * are unchecked). Its `applyAsync()` resolves with the last step's AsyncResult.
 */
export function chain<I, R1>(a: Signature<I, R1, any>): Signature<I, R1>;
export function chain<I, R1, R2>(
  a: Signature<I, R1, any>,
  b: Signature<R1, R2, any>,
): Signature<I, R2>;
export function chain<I, R1, R2, R3>(
  a: Signature<I, R1, any>,
  b: Signature<R1, R2, any>,
  c: Signature<R2, R3, any>,
): Signature<I, R3>;
export function chain<I, R1, R2, R3, R4>(
  a: Signature<I, R1, any>,
  b: Signature<R1, R2, any>,
  c: Signature<R2, R3, any>,
  d: Signature<R3, R4, any>,
): Signature<I, R4>;
export function chain<I, R1, R2, R3, R4, R5>(
  a: Signature<I, R1, any>,
  b: Signature<R1, R2, any>,
  c: Signature<R2, R3, any>,
  d: Signature<R3, R4, any>,
  e: Signature<R4, R5, any>,
): Signature<I, R5>;
export function chain<I, R1, R2, R3, R4, R5, R6>(
  a: Signature<I, R1, any>,
  b: Signature<R1, R2, any>,
  c: Signature<R2, R3, any>,
  d: Signature<R3, R4, any>,
  e: Signature<R4, R5, any>,
  f: Signature<R5, R6, any>,
): Signature<I, R6>;
export function chain(...steps: AnySignature[]): AnySignature {
  const canvas: AnySignature = canvasOf(steps, {
    task: 'celery.chain',
    args: [],
    kwargs: { tasks: steps.map((step) => step.dict) },
    options: {},
    subtask_type: 'chain',
    immutable: false,
  });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- the overloads above type it
  return canvas;
}

/**
 * Celery's `group(a, b, c)`: its members run in parallel. Its `applyAsync()` resolves
 * with a GroupResult (results in the members' order).
 */
export function group<S extends AnySignature[]>(
  ...members: S
): Signature<
  unknown,
  { [K in keyof S]: ResultOf<S[K]> },
  GroupResult<ResultOf<S[number]>>
> {
  return canvasOf(members, {
    task: 'celery.group',
    args: [],
    kwargs: { tasks: members.map((member) => member.dict) },
    options: {},
    subtask_type: 'group',
    immutable: false,
  }) as Signature<
    unknown,
    { [K in keyof S]: ResultOf<S[K]> },
    GroupResult<ResultOf<S[number]>>
  >;
}

/**
 * Celery's `chord(header, body)`: the header's tasks run in parallel, then the body is
 * called with the list of their results, in header order. Needs a result backend with
 * a chord counter (Redis, memory); a failing header task fails the body with ChordError
 * naming it. `applyAsync()` resolves with the body's AsyncResult (`parent`: the header).
 */
export function chord<S extends AnySignature[], R>(
  header: S,
  body: Signature<HeaderResults<S>, R, any>,
): Signature<unknown, R> {
  const members = header.map((member) => member.dict);
  const groupDict: SignatureDict = {
    task: 'celery.group',
    args: [],
    kwargs: { tasks: members },
    options: {},
    subtask_type: 'group',
    immutable: false,
  };
  return canvasOf(
    [...header, body],
    chordSignature(groupDict, body.dict),
  ) as Signature<unknown, R>;
}

function canvasOf(parts: AnySignature[], dict: SignatureDict): AnySignature {
  const applier: SignatureApplier | null =
    parts.map((part) => part.applierOf).find((found) => found !== null) ?? null;
  return new Signature(dict, applier);
}
