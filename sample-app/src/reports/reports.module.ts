import { Module } from '@nestjs/common';
import { ReportsTasks } from './reports.tasks';

@Module({ providers: [ReportsTasks] })
export class ReportsModule {}
