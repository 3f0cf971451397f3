import { Command } from 'commander';
import { FleetCallOptions, NodeReplies } from '../index';
import { CliError } from './errors';
import { EXIT } from './exit-codes';
import { positiveNumber } from './global-options';

/** `--destination` and `--timeout`, as `celery inspect` / `celery control` take them. */
export interface FleetFlags {
  destination?: string;
  timeout?: string;
}

/** Adds `-d, --destination` and `-t, --timeout` to a command. */
export function withFleetFlags(command: Command, timeout = '1'): Command {
  return command
    .option(
      '-d, --destination <nodes>',
      'only these nodes, comma-separated (celeriac@host,celery@other)',
    )
    .option('-t, --timeout <seconds>', 'how long to wait for replies', timeout);
}

export function fleetOptionsOf(flags: FleetFlags): FleetCallOptions {
  const destination = flags.destination
    ?.split(',')
    .map((node) => node.trim())
    .filter((node) => node !== '');
  return {
    destination: destination?.length ? destination : undefined,
    timeout: positiveNumber(flags.timeout ?? '1', '--timeout'),
  };
}

/** Celery's "No nodes replied within time constraint.", exit code 4. */
export function requireReplies<T>(replies: NodeReplies<T>): NodeReplies<T> {
  if (Object.keys(replies).length === 0) {
    throw new CliError(
      'no nodes replied within the time constraint',
      EXIT.noReply,
    );
  }
  return replies;
}
