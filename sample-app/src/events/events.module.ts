import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { ParticipantsTasks } from './participants.tasks';

@Module({ controllers: [EventsController], providers: [ParticipantsTasks] })
export class EventsModule {}

@Module({ providers: [ParticipantsTasks] })
export class EventsTasksModule {}
