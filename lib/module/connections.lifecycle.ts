import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ResultBackend } from '../results/result-backend';
import { Transport } from '../transports/transport';
import { RESULT_BACKEND, TRANSPORT } from './tokens';

/** Closes the broker and backend connections last, after workers stopped. */
@Injectable()
export class ConnectionsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('TaskQueue');

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const results = await Promise.allSettled([
      this.transport.close(),
      this.backend.close(),
    ]);
    for (const result of results) {
      if (result.status === 'rejected')
        this.logger.warn(
          `Closing a connection failed: ${String(result.reason)}`,
        );
    }
  }
}
