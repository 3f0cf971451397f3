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
import { EventRecord } from '../store/records';
import { EVENTS } from '../store/store.module';
import { ParticipantsTasks } from './participants.tasks';

@Controller('events')
export class EventsController {
  constructor(
    private readonly tasks: TaskClient,
    @Inject(EVENTS) private readonly events: JsonFileStore<EventRecord>,
  ) {}

  @Post()
  async create(@Body() body: { name?: unknown }): Promise<EventRecord> {
    if (typeof body?.name !== 'string' || body.name.trim() === '')
      throw new BadRequestException('name is required');
    return this.events.put({
      id: randomUUID(),
      name: body.name,
      participants: 0,
      updatedAt: new Date().toISOString(),
    });
  }

  @Get(':id')
  async event(@Param('id') id: string): Promise<EventRecord> {
    const event = await this.events.get(id);
    if (!event) throw new NotFoundException(`no event ${id}`);
    return event;
  }

  /** Passes the event's id: `delay(event, count)` would be refused before sending. */
  @Post(':id/participants')
  @HttpCode(202)
  async participants(
    @Param('id') id: string,
    @Body() body: { count?: unknown },
  ): Promise<{ taskId: string }> {
    const count = Number(body?.count);
    if (!Number.isInteger(count) || count < 0)
      throw new BadRequestException('count must be a whole number');
    const event = await this.events.get(id);
    if (!event) throw new NotFoundException(`no event ${id}`);
    const sent = await this.tasks
      .task(ParticipantsTasks, 'updateParticipants')
      .delay(event.id, count);
    return { taskId: sent.id };
  }
}
