import { Module } from '@nestjs/common';
import { MathController } from './math.controller';
import { MathTasks } from './math.tasks';

@Module({ controllers: [MathController], providers: [MathTasks] })
export class MathModule {}

@Module({ providers: [MathTasks] })
export class MathTasksModule {}
