import colors from 'picocolors';
import { GlobalOptions } from './global-options';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A line of progress on stderr, updated in place. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

/**
 * A spinner with a text on stderr while a long command runs, only when stderr is a
 * terminal and the output is not `--json`: piped output and scripts see nothing of it.
 */
export function startProgress(globals: GlobalOptions, text: string): Progress {
  const stream = process.stderr;
  if (globals.json || !stream.isTTY) return { update() {}, stop() {} };
  let frame = 0;
  let current = text;
  const started = Date.now();
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    stream.write(
      `\r\x1b[2K${colors.cyan(FRAMES[frame++ % FRAMES.length])} ${current} ${colors.dim(`${seconds}s`)}`,
    );
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    update(next) {
      current = next;
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}

/** Runs `work` with a progress line shown while it runs. */
export async function withProgress<T>(
  globals: GlobalOptions,
  text: string,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const progress = startProgress(globals, text);
  try {
    return await work(progress);
  } finally {
    progress.stop();
  }
}
