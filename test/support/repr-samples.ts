import { runPython } from './run-python';

/** JSON values whose Python repr is easy to get wrong: escapes, quotes, floats, nesting. */
export const REPR_SAMPLES: unknown[] = [
  null,
  true,
  false,
  0,
  -7,
  1.5,
  0.1,
  -2.5e-3,
  1e-4,
  1e-5,
  -0.00001234,
  1.5e-7,
  5e-324,
  123456.789,
  2 ** 53,
  1e16,
  1e20,
  1e21,
  1.7976931348623157e308,
  '',
  'plain',
  'a\nb',
  'tab\there',
  'cr\rlf\n',
  'back\\slash',
  "it's",
  'say "hi"',
  'both \' and "',
  '\x00\x01\x1b\x1f\x7f',
  '\x80\x9f\xa0\xad\xff',
  'é ü ñ 中文 Ω',
  '\u2028\u2029\u3000',
  '\u200b\ufeff\ue000\u0378',
  '😀 𝔘',
  '\ud800 lone \udc00',
  [],
  [1, 'a', null, true, 2.5],
  ['x\ny', ["it's", ['\t', ['deep']]]],
  {},
  { "it's": 'q', 'new\nline': 1, '1': 'one', b: [{ c: 'x\ny' }] },
  { a: { b: { c: { d: 1 } } } },
];

/** What Python prints for each sample after `json.loads`: `repr` and Celery's `saferepr`. */
export function pythonReprsOf(
  values: unknown[],
): { repr: string; saferepr: string }[] {
  const script = [
    'import json, sys',
    'from celery.utils.saferepr import saferepr',
    "values = json.loads(sys.stdin.buffer.read().decode('utf-8'))",
    "print(json.dumps([{'repr': repr(v), 'saferepr': saferepr(v)} for v in values]))",
  ].join('\n');
  return JSON.parse(runPython(script, JSON.stringify(values))) as {
    repr: string;
    saferepr: string;
  }[];
}
