import {
  CanActivate,
  ExecutionContext,
  UnauthorizedException,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';

/**
 * HTTP Basic authentication for the dashboard: user `admin`, the password of
 * `DASHBOARD_PASSWORD`. The browser asks for it; a wrong one gets 401. An instance
 * (it holds the password), given to the dashboard's `guards`.
 */
export class BasicAuthGuard implements CanActivate {
  constructor(private readonly password: string) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<{
      headers: Record<string, string | undefined>;
    }>();
    const expected = Buffer.from(
      `Basic ${Buffer.from(`admin:${this.password}`).toString('base64')}`,
    );
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return true;
    }
    http
      .getResponse<{ header(name: string, value: string): unknown }>()
      .header('WWW-Authenticate', 'Basic realm="Celeriac dashboard"');
    throw new UnauthorizedException();
  }
}
