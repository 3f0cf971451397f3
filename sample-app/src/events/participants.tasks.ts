import { Inject, Injectable } from '@nestjs/common';
import { Task } from '../../../lib';
import { JsonFileStore } from '../store/json-file-store';
import { EventRecord } from '../store/records';
import { EVENTS } from '../store/store.module';

@Injectable()
export class ParticipantsTasks {
  constructor(
    @Inject(EVENTS) private readonly events: JsonFileStore<EventRecord>,
  ) {}

  /**
   * Takes the event's id, not the event: by the time this runs the record may have
   * changed, so it is loaded fresh here. (Passing the entity is refused by the client.)
   */
  @Task('events.updateParticipants')
  async updateParticipants(
    eventId: string,
    count: number,
  ): Promise<EventRecord> {
    const event = await this.events.get(eventId);
    if (!event) throw new Error(`event ${eventId} does not exist`);
    return this.events.put({
      ...event,
      participants: count,
      updatedAt: new Date().toISOString(),
    });
  }
}
