import { DynamicModule, Module } from '@nestjs/common';
import { SampleConfig } from './config';
import { EventsTasksModule } from './events/events.module';
import { MathTasksModule } from './math/math.module';
import { ReportsModule } from './reports/reports.module';
import { StoreModule } from './store/store.module';
import { sampleTaskQueue } from './task-queue.config';
import { TranscoderModule } from './transcoder/transcoder.module';
import { UsersTasksModule } from './users/users.module';

/** The worker's container: the same task providers, no controllers, plus the transcoder. */
@Module({})
export class WorkerModule {
  static register(config: SampleConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        StoreModule.forRoot(config.dataDir),
        sampleTaskQueue(config, false),
        UsersTasksModule,
        EventsTasksModule,
        MathTasksModule,
        ReportsModule,
        TranscoderModule,
      ],
    };
  }
}
