import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Post,
  Query,
} from '@nestjs/common';
import { TaskClient } from '../../../lib';
import { MathTasks } from './math.tasks';

@Controller('math')
export class MathController {
  constructor(private readonly tasks: TaskClient) {}

  /** Waits for the result; with `?async=1` answers with the task id at once. */
  @Post('add')
  @HttpCode(200)
  async add(
    @Body() body: { a?: unknown; b?: unknown },
    @Query('async') async?: string,
  ): Promise<{ result: number } | { taskId: string }> {
    const { a, b } = body ?? {};
    if (typeof a !== 'number' || typeof b !== 'number')
      throw new BadRequestException('a and b must be numbers');
    const sent = await this.tasks.task(MathTasks, 'add').delay(a, b);
    if (async === '1' || async === 'true') return { taskId: sent.id };
    return { result: await sent.get({ timeout: 10 }) };
  }
}
