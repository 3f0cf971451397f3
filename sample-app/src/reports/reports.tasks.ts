import { Inject, Injectable } from '@nestjs/common';
import { Periodic } from '../../../lib';
import { JsonFileStore } from '../store/json-file-store';
import { Report, User, Video } from '../store/records';
import { REPORTS, USERS, VIDEOS } from '../store/store.module';

@Injectable()
export class ReportsTasks {
  constructor(
    @Inject(USERS) private readonly users: JsonFileStore<User>,
    @Inject(VIDEOS) private readonly videos: JsonFileStore<Video>,
    @Inject(REPORTS) private readonly reports: JsonFileStore<Report>,
  ) {}

  /** The hourly report: beat sends it once an hour, however many beats run. */
  @Periodic({ cron: '0 * * * *', name: 'reports.hourly' })
  async hourly(): Promise<Report> {
    const [users, videos] = await Promise.all([
      this.users.list(),
      this.videos.list(),
    ]);
    const now = new Date();
    return this.reports.put({
      id: `hourly-${now.toISOString().slice(0, 13).replace(/\D/g, '')}`,
      kind: 'hourly',
      users: users.length,
      videos: videos.length,
      createdAt: now.toISOString(),
    });
  }
}
