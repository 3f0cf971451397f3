/**
 * The `celeriac` command's exit codes (docs/cli.md). Scripts may rely on them.
 */
export const EXIT = {
  /** Done as asked. */
  ok: 0,
  /** The command ran and failed: a task failed, a node answered with an error, a refusal. */
  failed: 1,
  /** The broker (or the result backend) cannot be reached or refused the connection. */
  unreachable: 2,
  /** A wait ran out (`result --wait`, `call --wait`). */
  timeout: 3,
  /** Nobody answered a remote-control command within the timeout. */
  noReply: 4,
  /** Wrong usage: an unknown command or option, a missing or malformed argument. */
  usage: 64,
} as const;

/** One of the codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
