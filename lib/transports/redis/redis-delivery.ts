import { TaskMessage } from '../../protocol';
import { Delivery } from '../transport';
import { DecodedEnvelope } from './envelope';
import { PriorityBucket } from './keys';

export type Settlement =
  | { kind: 'ack' }
  | { kind: 'requeue' }
  | { kind: 'deadLetter'; reason: string }
  | { kind: 'defer'; until: Date };

export interface DeliverySettler {
  settle(delivery: RedisDelivery, settlement: Settlement): Promise<void>;
}

/** One message taken from Redis; `tag` is its field in kombu's `unacked` hash. */
export class RedisDelivery implements Delivery {
  readonly message: TaskMessage | undefined;
  readonly decodeError?: Error;
  readonly redelivered: boolean;
  readonly bucket: PriorityBucket;
  settled = false;

  constructor(
    readonly queue: string,
    readonly tag: string,
    /** The envelope exactly as it was on the list. */
    readonly raw: string,
    decoded: DecodedEnvelope,
    private readonly settler: DeliverySettler,
    /** Frees the consumer's prefetch slot. */
    readonly release: () => void,
  ) {
    this.message = decoded.message;
    if (decoded.decodeError) this.decodeError = decoded.decodeError;
    this.redelivered = decoded.redelivered;
    this.bucket = decoded.bucket;
  }

  ack(): Promise<void> {
    return this.settler.settle(this, { kind: 'ack' });
  }

  requeue(): Promise<void> {
    return this.settler.settle(this, { kind: 'requeue' });
  }

  deadLetter(reason: string): Promise<void> {
    return this.settler.settle(this, { kind: 'deadLetter', reason });
  }

  defer(until: Date): Promise<void> {
    return this.settler.settle(this, { kind: 'defer', until });
  }
}
