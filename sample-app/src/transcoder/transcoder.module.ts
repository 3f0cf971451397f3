import { Module } from '@nestjs/common';
import { TranscodeTasks } from './transcode.tasks';

@Module({ providers: [TranscodeTasks] })
export class TranscoderModule {}
