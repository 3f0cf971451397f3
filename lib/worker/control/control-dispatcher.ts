import { pythonRepr } from '../../protocol';
import {
  ControlMessage,
  ControlReply,
  ControlReplyTo,
} from '../../transports/control-bus';
import { addressedTo } from './addressed-to';
import { ControlContext, ControlHandler } from './control-command';
import { inspectCommands } from './inspect-commands';
import { taskCommands } from './task-commands';
import { SHUTDOWN, workerCommands } from './worker-commands';

/** Every command a Celeriac worker answers, by Celery's name. */
export const CONTROL_COMMANDS: Readonly<Record<string, ControlHandler>> = {
  ...inspectCommands,
  ...taskCommands,
  ...workerCommands,
};

export type SendReply = (
  replyTo: ControlReplyTo,
  ticket: string | undefined,
  reply: ControlReply,
) => Promise<void>;

/**
 * Runs the commands addressed to this node and replies as kombu's `Node.dispatch`:
 * `{node: result}` to `reply_to` with the ticket, when the command asked for a reply.
 * It never throws: a malformed message is logged once with the reason and dropped; an
 * unknown command or a handler that throws replies `{error: repr}` (kombu replies
 * `{"error": "KeyError('<method>')"}` to an unknown one) and is logged once.
 */
export class ControlDispatcher {
  constructor(
    private readonly context: ControlContext,
    private readonly sendReply: SendReply,
    private readonly commands: Readonly<
      Record<string, ControlHandler>
    > = CONTROL_COMMANDS,
  ) {}

  /** Handles one message; resolves once its reply (if any) is sent. */
  async handle(message: ControlMessage): Promise<void> {
    const { logger, node, clock } = this.context;
    const problem = malformed(message);
    if (problem) {
      logger.warn(`Ignored a malformed control message: ${problem}`);
      return;
    }
    if (!addressedTo(message, node)) return;
    clock.forward();
    const result = await this.run(message);
    if (result === SHUTDOWN || !message.reply_to) return;
    const replyTo = message.reply_to;
    if (
      typeof replyTo !== 'object' ||
      typeof replyTo.exchange !== 'string' ||
      typeof replyTo.routing_key !== 'string'
    ) {
      logger.warn(
        `Control command "${message.method}": reply_to is not {exchange, routing_key}; no reply sent`,
      );
      return;
    }
    const ticket =
      typeof message.ticket === 'string' ? message.ticket : undefined;
    try {
      await this.sendReply(replyTo, ticket, { [node]: result ?? null });
    } catch (error) {
      logger.warn(
        `Could not reply to the control command "${message.method}": ${String(error)}`,
      );
    }
  }

  private async run(message: ControlMessage): Promise<unknown> {
    const { logger } = this.context;
    const { method } = message;
    const handler = Object.hasOwn(this.commands, method)
      ? this.commands[method]
      : undefined;
    if (!handler) {
      logger.error(`No such control command: ${method}`);
      return { error: `KeyError('${method}')` };
    }
    try {
      return await handler(this.context, message.arguments ?? {});
    } catch (error) {
      logger.error(
        `Control command "${method}" failed: ${(error as Error)?.stack ?? String(error)}`,
      );
      return { error: errorRepr(error) };
    }
  }
}

/** Why a message is not a control command, or null when it is one. */
function malformed(message: unknown): string | null {
  if (message === null || typeof message !== 'object') return 'not an object';
  const { method, arguments: args } = message as Record<string, unknown>;
  if (typeof method !== 'string' || method === '') return 'no "method" string';
  if (args !== undefined && args !== null && typeof args !== 'object')
    return `"arguments" of "${method}" is not an object`;
  if (Array.isArray(args)) return `"arguments" of "${method}" is a list`;
  return null;
}

/** `repr(exc)` as kombu puts it in `{error: ...}`: `TypeError('message')`. */
function errorRepr(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}(${pythonRepr(error.message)})`;
  return String(error);
}
