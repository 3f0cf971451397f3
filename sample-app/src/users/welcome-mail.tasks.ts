import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Task } from '../../../lib';
import { JsonFileStore } from '../store/json-file-store';
import { OutboxMail, User } from '../store/records';
import { OUTBOX, USERS } from '../store/store.module';

@Injectable()
export class WelcomeMailTasks {
  constructor(
    @Inject(USERS) private readonly users: JsonFileStore<User>,
    @Inject(OUTBOX) private readonly outbox: JsonFileStore<OutboxMail>,
  ) {}

  /** "Sends" the welcome e-mail: writes it to the outbox. Takes the user's id, loads the user fresh. */
  @Task('users.sendWelcome')
  async sendWelcome(userId: string): Promise<{ mailId: string }> {
    const user = await this.users.get(userId);
    if (!user) throw new Error(`user ${userId} does not exist`);
    const mail = await this.outbox.put({
      id: randomUUID(),
      to: user.email,
      subject: 'Welcome to Celeriac',
      body: `Hello ${user.email}, your account ${user.id} is ready.`,
      sentAt: new Date().toISOString(),
    });
    return { mailId: mail.id };
  }
}
