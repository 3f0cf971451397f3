import { CliError } from './errors';
import { EXIT } from './exit-codes';

/** The options every command takes, as commander parsed them. */
export interface GlobalFlags {
  broker?: string;
  backend?: string;
  brokerOptions?: string;
  connectTimeout?: string;
  json?: boolean;
}

/** Where to connect and how to print, resolved from the flags and the environment. */
export interface GlobalOptions {
  broker: string;
  backend: string | undefined;
  brokerOptions: Record<string, unknown>;
  connectTimeoutSeconds: number;
  json: boolean;
}

/** The environment variables read, first found wins (docs/cli.md). */
export const BROKER_ENV = ['CELERIAC_BROKER_URL', 'BROKER_URL'];
export const BACKEND_ENV = ['CELERIAC_BACKEND_URL', 'BACKEND_URL'];
export const BROKER_OPTIONS_ENV = 'CELERIAC_BROKER_OPTIONS';

const SCHEMES = /^(redis|rediss|amqp|amqps|memory):\/\//i;

export function resolveGlobals(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv = process.env,
): GlobalOptions {
  const broker = flags.broker ?? firstOf(env, BROKER_ENV);
  if (!broker) {
    throw new CliError(
      `no broker: pass --broker <url> or set ${BROKER_ENV.join(' or ')}`,
      EXIT.usage,
    );
  }
  if (!SCHEMES.test(broker)) {
    throw new CliError(
      `broker ${redactUrl(broker)}: use redis://, rediss://, amqp:// or amqps://`,
      EXIT.usage,
    );
  }
  return {
    broker,
    backend: flags.backend ?? firstOf(env, BACKEND_ENV),
    brokerOptions: brokerOptionsOf(
      flags.brokerOptions ?? env[BROKER_OPTIONS_ENV],
    ),
    connectTimeoutSeconds: positiveNumber(
      flags.connectTimeout ?? '5',
      '--connect-timeout',
    ),
    json: flags.json ?? false,
  };
}

/** A number of seconds given on the command line, or a usage error. */
export function positiveNumber(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new CliError(
      `${what} must be a positive number of seconds, not ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return value;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

function firstOf(env: NodeJS.ProcessEnv, names: string[]): string | undefined {
  for (const name of names) if (env[name]) return env[name];
  return undefined;
}

function brokerOptionsOf(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(
      `--broker-options must be a JSON object, like '{"keyPrefix":"app:"}'`,
      EXIT.usage,
    );
  }
  return parsed as Record<string, unknown>;
}
