import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { WelcomeMailTasks } from './welcome-mail.tasks';

@Module({ controllers: [UsersController], providers: [WelcomeMailTasks] })
export class UsersModule {}

/** The welcome-mail task alone, for the worker process (no HTTP controllers). */
@Module({ providers: [WelcomeMailTasks] })
export class UsersTasksModule {}
