import { Logger } from '@nestjs/common';
import { ControlDispatcher } from '../../../../lib/worker/control/control-dispatcher';
import {
  ControlContext,
  ControlTarget,
} from '../../../../lib/worker/control/control-command';
import {
  ControlMessage,
  ControlReply,
} from '../../../../lib/transports/control-bus';

class RecordingLogger extends Logger {
  readonly lines: string[] = [];
  override log(message: string): void {
    this.lines.push(`log: ${message}`);
  }
  override warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  override error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
}

function setup() {
  const logger = new RecordingLogger();
  const shutdowns: string[] = [];
  const target = {
    shutdown: (reason: string) => shutdowns.push(reason),
    revoke: (ids: string[]) => ids.slice(0, 0),
  } as unknown as ControlTarget;
  const context: ControlContext = {
    node: 'celeriac@box',
    target,
    info: {
      transport: 'memory',
      brokerUrl: 'memory://',
      backendUrl: 'memory://',
      settings: {},
      startedAt: Date.now(),
      softwareVersion: '0',
    },
    clock: {
      value: 0,
      forward() {
        return ++this.value;
      },
    },
    logger,
  };
  const replies: {
    routingKey: string;
    ticket?: string;
    reply: ControlReply;
  }[] = [];
  const dispatcher = new ControlDispatcher(
    context,
    async (to, ticket, reply) => {
      replies.push({ routingKey: to.routing_key, ticket, reply });
    },
  );
  return { dispatcher, replies, logger, shutdowns, context };
}

const command = (over: Partial<ControlMessage>): ControlMessage => ({
  method: 'ping',
  arguments: {},
  destination: null,
  pattern: null,
  matcher: null,
  ticket: 't1',
  reply_to: { exchange: 'reply.celery.pidbox', routing_key: 'oid' },
  ...over,
});

describe('ControlDispatcher (kombu Node.dispatch)', () => {
  it('replies {node: result} to reply_to with the ticket, and moves the clock', async () => {
    const { dispatcher, replies, context } = setup();
    await dispatcher.handle(command({}));
    expect(replies).toEqual([
      {
        routingKey: 'oid',
        ticket: 't1',
        reply: { 'celeriac@box': { ok: 'pong' } },
      },
    ]);
    expect(context.clock.value).toBe(1);
  });

  it('does not reply without reply_to, nor to a command for another node', async () => {
    const { dispatcher, replies } = setup();
    await dispatcher.handle(command({ reply_to: undefined }));
    await dispatcher.handle(command({ destination: ['other@box'] }));
    expect(replies).toEqual([]);
  });

  it("an unknown command: kombu's KeyError reply, logged once", async () => {
    const { dispatcher, replies, logger } = setup();
    await dispatcher.handle(command({ method: 'nope' }));
    expect(replies[0].reply).toEqual({
      'celeriac@box': { error: "KeyError('nope')" },
    });
    expect(logger.lines).toEqual(['error: No such control command: nope']);
  });

  it('a malformed message is logged once with the reason and dropped', async () => {
    const { dispatcher, replies, logger } = setup();
    await dispatcher.handle({ method: 7 } as unknown as ControlMessage);
    await dispatcher.handle(
      command({ arguments: 'x' as unknown as Record<string, unknown> }),
    );
    expect(replies).toEqual([]);
    expect(logger.lines).toEqual([
      'warn: Ignored a malformed control message: no "method" string',
      'warn: Ignored a malformed control message: "arguments" of "ping" is not an object',
    ]);
  });

  it('shutdown shuts down and sends no reply, as Celery (WorkerShutdown)', async () => {
    const { dispatcher, replies, shutdowns } = setup();
    await dispatcher.handle(command({ method: 'shutdown' }));
    expect(shutdowns).toEqual(['Got shutdown from remote']);
    expect(replies).toEqual([]);
  });

  it('a handler that throws replies {error: repr}', async () => {
    const { dispatcher, replies } = setup();
    // revoke reads target.revoke; a target without `findTask` makes rate_limit throw.
    await dispatcher.handle(
      command({
        method: 'rate_limit',
        arguments: { task_name: 'x', rate_limit: '1/s' },
      }),
    );
    expect(replies[0].reply).toEqual({
      'celeriac@box': {
        error: expect.stringMatching(/^TypeError\('.+'\)$/) as unknown,
      },
    });
  });
});
