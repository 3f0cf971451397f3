import { Inject, Injectable } from '@nestjs/common';
import { Task } from '../../../lib';
import { JsonFileStore } from '../store/json-file-store';
import { Video } from '../store/records';
import { VIDEOS } from '../store/store.module';

/** Lives only in the worker: heavy dependencies (ffmpeg, say) stay out of the web process. */
@Injectable()
export class TranscodeTasks {
  constructor(@Inject(VIDEOS) private readonly videos: JsonFileStore<Video>) {}

  @Task({ name: 'videos.transcode', queue: 'transcode' })
  async transcode(
    videoId: string,
  ): Promise<{ videoId: string; renditions: string[] }> {
    const video = await this.videos.get(videoId);
    if (!video) throw new Error(`video ${videoId} does not exist`);
    await this.videos.put({ ...video, status: 'transcoding' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the "work"
    const renditions = ['360p', '720p', '1080p'].map(
      (size) => `${videoId}-${size}.mp4`,
    );
    await this.videos.put({ ...video, status: 'ready', renditions });
    return { videoId, renditions };
  }
}
