import { Injectable } from '@nestjs/common';
import { Task } from '../../../lib';

@Injectable()
export class MathTasks {
  @Task('math.add')
  add(a: number, b: number): number {
    return a + b;
  }
}
