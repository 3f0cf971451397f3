import { Command } from 'ioredis';
import { EventJsonWriter } from '../../protocol/event-json-writer';
import { EVENT_EXCHANGE, EventList } from '../event-bus';
import { BODY_START, envelopeTail } from './control-envelope';

/**
 * The most bytes before the list but the channel's: `*3\r\n$7\r\nPUBLISH\r\n$<n>\r\n`,
 * `<channel>\r\n$<n>\r\n` and `{"body":"`, each length up to 10 digits.
 */
const HEAD_ROOM =
  '*3\r\n$7\r\nPUBLISH\r\n$\r\n\r\n$\r\n'.length + 2 * 10 + BODY_START.length;

/**
 * A `task.multi` list written straight into the Redis command that publishes it: the
 * RESP frame of `PUBLISH <channel> <kombu envelope>`, whose body is the list's JSON as
 * a string (`body_encoding` null, which kombu reads as it is). The events are written
 * once, and the frame is sent as it is: no base64, no copy into ioredis's own buffer.
 */
export class RedisEventList implements EventList {
  readonly writer: EventJsonWriter;
  private readonly channelBytes: number;
  /** The buffer the frame was written in, once `command` has written it. */
  framedIn: Buffer | undefined;

  constructor(
    readonly channel: string,
    bytes: Buffer,
  ) {
    this.channelBytes = Buffer.byteLength(channel, 'utf8');
    this.writer = new EventJsonWriter(
      'in-string',
      HEAD_ROOM + this.channelBytes,
      bytes,
    );
  }

  /** The PUBLISH command, its frame written. */
  command(hostname: string): Command {
    const tail = `${envelopeTail({ hostname }, EVENT_EXCHANGE, 'task.multi', null)}\r\n`;
    const tailBytes = Buffer.byteLength(tail, 'utf8');
    const listStart = this.writer.headRoom;
    const { buffer, end } = this.writer.finish(tailBytes);
    this.framedIn = buffer;
    const written = buffer.write(tail, end, 'utf8');
    const envelopeBytes = end - listStart + BODY_START.length + written - 2;
    const head =
      `*3\r\n$7\r\nPUBLISH\r\n$${this.channelBytes}\r\n${this.channel}\r\n` +
      `$${envelopeBytes}\r\n${BODY_START}`;
    const headBytes = Buffer.byteLength(head, 'utf8');
    buffer.write(head, listStart - headBytes, 'utf8');
    return new FramedCommand(
      buffer.subarray(listStart - headBytes, end + written),
    );
  }
}

/** A command whose RESP frame is written already (ioredis's scripts override toWritable too). */
class FramedCommand extends Command {
  constructor(private readonly frame: Buffer) {
    super('publish', []);
  }

  override toWritable(): Buffer {
    return this.frame;
  }
}
