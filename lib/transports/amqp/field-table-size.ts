/**
 * The size amqplib gives a value in an AMQP field table (its codec's rules: integers in
 * the smallest signed type, other numbers as doubles, strings as long strings).
 * amqplib encodes all message properties into a 64 KB buffer and silently cuts what does
 * not fit, which RabbitMQ answers by closing the whole connection (541 INTERNAL_ERROR):
 * headers must be measured before they are sent.
 */
export function fieldTableSize(table: Record<string, unknown>): number {
  let size = 4;
  for (const key in table) {
    const value = table[key];
    if (value !== undefined)
      size += 1 + Buffer.byteLength(key) + fieldValueSize(value);
  }
  return size;
}

function fieldValueSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 5 + Buffer.byteLength(value);
    case 'boolean':
      return 2;
    case 'number':
      return numberSize(value);
    case 'bigint':
      return 9;
    case 'object': {
      if (value === null) return 1;
      if (Buffer.isBuffer(value)) return 5 + value.length;
      if (Array.isArray(value)) {
        return (
          5 + value.reduce((sum: number, item) => sum + fieldValueSize(item), 0)
        );
      }
      const typed = value as { '!'?: unknown; value?: unknown };
      if (typeof typed['!'] === 'string')
        return 9 + fieldValueSize(typed.value);
      return 1 + fieldTableSize(value as Record<string, unknown>);
    }
    default:
      return 9;
  }
}

function numberSize(value: number): number {
  if (!Number.isInteger(value)) return 9;
  if (value >= -128 && value < 128) return 2;
  if (value >= -0x8000 && value < 0x8000) return 3;
  if (value >= -0x80000000 && value < 0x80000000) return 5;
  return 9;
}
