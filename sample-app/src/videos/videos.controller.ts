import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TaskClient } from '../../../lib';
import { JsonFileStore } from '../store/json-file-store';
import { Video } from '../store/records';
import { VIDEOS } from '../store/store.module';

/**
 * The web side of videos. It does not import the transcoder: it sends
 * `videos.transcode` by name to the `transcode` queue, which only workers consume.
 */
@Controller('videos')
export class VideosController {
  constructor(
    private readonly tasks: TaskClient,
    @Inject(VIDEOS) private readonly videos: JsonFileStore<Video>,
  ) {}

  @Post()
  @HttpCode(202)
  async upload(
    @Body() body: { title?: unknown },
  ): Promise<{ videoId: string; taskId: string }> {
    if (typeof body?.title !== 'string' || body.title.trim() === '') {
      throw new BadRequestException('title is required');
    }
    const video = await this.videos.put({
      id: randomUUID(),
      title: body.title,
      status: 'uploaded',
      renditions: [],
    });
    const sent = await this.tasks.send('videos.transcode', [video.id], {
      queue: 'transcode',
    });
    return { videoId: video.id, taskId: sent.id };
  }

  @Get(':id')
  async video(@Param('id') id: string): Promise<Video> {
    const video = await this.videos.get(id);
    if (!video) throw new NotFoundException(`no video ${id}`);
    return video;
  }
}
