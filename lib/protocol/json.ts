/**
 * JSON as Celery's peers write it. kombu >= 5.3 tags some Python types as
 * `{"__type__": ..., "__value__": ...}`; they arrive here as plain strings
 * (datetime, date, time, decimal and uuid keep their text; bytes their text or base64).
 */
export function parseJson(text: string): unknown {
  return JSON.parse(text, untagKombuTypes);
}

const KOMBU_TAGGED = new Set([
  'datetime',
  'date',
  'time',
  'decimal',
  'uuid',
  'bytes',
  'base64',
]);

function untagKombuTypes(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { __type__?: unknown; __value__?: unknown };
    if (
      typeof tagged.__type__ === 'string' &&
      KOMBU_TAGGED.has(tagged.__type__) &&
      '__value__' in tagged &&
      Object.keys(tagged).length === 2
    ) {
      return tagged.__value__;
    }
  }
  return value;
}
