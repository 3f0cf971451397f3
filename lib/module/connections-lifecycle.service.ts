import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { ResultBackend } from '../results/result-backend';
import { Transport } from '../transports/transport';
import {
  FLEET_RATE_LIMITER,
  RESULT_BACKEND,
  TRANSPORT,
} from '../options/tokens';

/** Closes the broker and backend connections last, after workers stopped. */
@Injectable()
export class ConnectionsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('TaskQueue');

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(FLEET_RATE_LIMITER)
    private readonly fleetRateLimiter: RateLimiter | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const results = await Promise.allSettled([
      this.transport.close(),
      this.backend.close(),
      this.fleetRateLimiter?.close(),
    ]);
    for (const result of results) {
      if (result.status === 'rejected')
        this.logger.warn(
          `Closing a connection failed: ${String(result.reason)}`,
        );
    }
  }
}
