import { DynamicModule, Module } from '@nestjs/common';
import { TaskQueueDashboardModule } from '../../lib';
import { BasicAuthGuard } from './dashboard/basic-auth.guard';
import { SampleConfig } from './config';
import { EventsModule } from './events/events.module';
import { MathModule } from './math/math.module';
import { ReportsModule } from './reports/reports.module';
import { StoreModule } from './store/store.module';
import { sampleTaskQueue } from './task-queue.config';
import { TasksController } from './tasks/tasks.controller';
import { TranscoderModule } from './transcoder/transcoder.module';
import { UsersModule } from './users/users.module';
import { VideosModule } from './videos/videos.module';

/**
 * The web app. With a broker URL it only produces (workers run apart, see worker.ts);
 * without one it runs on `memory://` with a worker inside, and then it also loads the
 * transcoder, which otherwise only the worker has.
 */
@Module({})
export class AppModule {
  static register(config: SampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StoreModule.forRoot(config.dataDir),
        sampleTaskQueue(config, config.embeddedWorker),
        UsersModule,
        VideosModule,
        EventsModule,
        MathModule,
        ReportsModule,
        ...(config.embeddedWorker ? [TranscoderModule] : []),
        ...(config.dashboardPassword
          ? [
              TaskQueueDashboardModule.register({
                path: 'queues',
                guards: [new BasicAuthGuard(config.dashboardPassword)],
              }),
            ]
          : []),
      ],
      controllers: [TasksController],
    };
  }
}
