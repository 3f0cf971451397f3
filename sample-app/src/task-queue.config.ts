import { TaskQueueModule } from '../../lib';
import { SampleConfig } from './config';

/** The queues this sample's workers consume: everyday tasks and transcoding. */
export const SAMPLE_QUEUES = ['celery', 'transcode'];

/** TaskQueueModule for the sample, from its config. */
export function sampleTaskQueue(config: SampleConfig, worker: boolean) {
  return TaskQueueModule.forRoot({
    broker: config.brokerUrl ?? 'memory://',
    backend: config.resultBackend,
    worker: worker ? { queues: SAMPLE_QUEUES, concurrency: 10 } : false,
    // On the embedded memory broker a separate beat could not reach this process:
    // the web app runs beat itself.
    beat: config.embeddedWorker && worker,
  });
}
