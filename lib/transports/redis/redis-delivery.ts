import { LinkedEntry } from '../../common/linked-set';
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

/** The consumer's prefetch count, as a delivery frees its place in it. */
export interface PrefetchPlaces {
  /** Frees the place of a delivery that has run, if the settling budget allows. */
  freeEarly(): boolean;
  /** The delivery is settled; `early` when its place was freed by `freeEarly`. */
  free(early: boolean): void;
  /** Frees the place of a delivery held for its eta, whatever the budget. */
  setAside(): void;
}

/** One message taken from Redis; `tag` is its field in kombu's `unacked` hash. */
export class RedisDelivery implements Delivery {
  /** Undefined once settled: see `markSettled`. */
  message: TaskMessage | undefined;
  readonly decodeError?: Error;
  readonly redelivered: boolean;
  readonly bucket: PriorityBucket;
  private settledAlready = false;
  /** Its place among the deliveries the settler holds (RedisSettler.hold). */
  heldAs: LinkedEntry<RedisDelivery> | undefined;
  /** See Delivery.holdForEta: set when the queue's eta messages wait on its list. */
  readonly holdForEta?: () => void;
  private place: 'held' | 'freedEarly' | 'setAside' | 'freed' = 'held';

  constructor(
    readonly queue: string,
    readonly tag: string,
    /** The envelope exactly as it was on the list. */
    readonly raw: string,
    decoded: DecodedEnvelope,
    private readonly settler: DeliverySettler,
    private readonly places: PrefetchPlaces,
    etaOnQueue = false,
  ) {
    if (etaOnQueue) {
      const setAside = () => this.setAside();
      this.holdForEta = setAside;
    }
    this.message = decoded.message;
    if (decoded.decodeError) this.decodeError = decoded.decodeError;
    this.redelivered = decoded.redelivered;
    this.bucket = decoded.bucket;
  }

  get settled(): boolean {
    return this.settledAlready;
  }

  /**
   * Settled: nothing reads the message any more (the worker decoded it before), so
   * the delivery lets go of it. A delivery can stay referenced after its end from an
   * object V8 has already moved to the old generation, which only a full GC finds
   * dead; the message it held would then be promoted with everything it points to.
   */
  markSettled(): void {
    this.settledAlready = true;
    this.message = undefined;
  }

  /**
   * The task has returned: only its result store and ack are left, which hold no
   * one up, so the consumer may fetch in its place (within a budget of its prefetch).
   */
  doneRunning(): void {
    if (this.place === 'held' && this.places.freeEarly())
      this.place = 'freedEarly';
  }

  /** Called once settled: frees the place in the prefetch count, if still held. */
  freePlace(): void {
    if (this.place === 'freed') return;
    if (this.place !== 'setAside')
      this.places.free(this.place === 'freedEarly');
    this.place = 'freed';
  }

  /**
   * Held until its eta: no longer counted against the prefetch. Its lease is still
   * renewed (the settler holds it), so neither our sweep nor kombu's visibility
   * timeout restores it while this process lives.
   */
  private setAside(): void {
    if (this.place !== 'held') return;
    this.places.setAside();
    this.place = 'setAside';
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
