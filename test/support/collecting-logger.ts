import { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps what it is told (`warn` and `error` lines), and prints nothing. */
export class CollectingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(): void {}
  warn(message: unknown): void {
    this.lines.push(`warn: ${String(message)}`);
  }
  error(message: unknown): void {
    this.lines.push(`error: ${String(message)}`);
  }
}
