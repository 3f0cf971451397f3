import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { CsrfToken } from './csrf-token';
import { DASHBOARD_OPTIONS } from './dashboard.tokens';
import { ResolvedDashboardOptions } from './resolve-dashboard-options';

/** The check before any action: the page's CSRF token, and not read-only. */
@Injectable()
export class DashboardActions {
  constructor(
    private readonly csrf: CsrfToken,
    @Inject(DASHBOARD_OPTIONS)
    private readonly options: ResolvedDashboardOptions,
  ) {}

  allow(token: unknown): void {
    if (!this.csrf.matches(token)) {
      throw new ForbiddenException(
        'missing or wrong CSRF token (x-csrf-token): reload the dashboard',
      );
    }
    if (this.options.readOnly) {
      throw new ForbiddenException('this dashboard is read-only');
    }
  }
}
