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
import { OutboxMail, User } from '../store/records';
import { OUTBOX, USERS } from '../store/store.module';
import { WelcomeMailTasks } from './welcome-mail.tasks';

@Controller()
export class UsersController {
  constructor(
    private readonly tasks: TaskClient,
    @Inject(USERS) private readonly users: JsonFileStore<User>,
    @Inject(OUTBOX) private readonly outbox: JsonFileStore<OutboxMail>,
  ) {}

  /** Answers at once; the welcome e-mail goes out in the background. */
  @Post('signup')
  @HttpCode(202)
  async signup(
    @Body() body: { email?: unknown },
  ): Promise<{ userId: string; taskId: string }> {
    if (typeof body?.email !== 'string' || !body.email.includes('@')) {
      throw new BadRequestException('email is required');
    }
    const user = await this.users.put({
      id: randomUUID(),
      email: body.email,
      createdAt: new Date().toISOString(),
    });
    const sent = await this.tasks
      .task(WelcomeMailTasks, 'sendWelcome')
      .delay(user.id);
    return { userId: user.id, taskId: sent.id };
  }

  @Get('users/:id')
  async user(@Param('id') id: string): Promise<User> {
    const user = await this.users.get(id);
    if (!user) throw new NotFoundException(`no user ${id}`);
    return user;
  }

  @Get('outbox')
  async mails(): Promise<OutboxMail[]> {
    return (await this.outbox.list()).sort((a, b) =>
      a.sentAt.localeCompare(b.sentAt),
    );
  }
}
