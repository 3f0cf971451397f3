/**
 * An integer table value encoded as py-amqp encodes a Python int ('I', signed 32 bits),
 * so `rabbitmqctl list_queues arguments` shows the same as for a queue Celery declared.
 */
export function amqpInt(value: number): unknown {
  return Number.isInteger(value) && value >= -0x80000000 && value < 0x80000000
    ? { '!': 'int', value }
    : value;
}
