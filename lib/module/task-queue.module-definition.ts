import { ConfigurableModuleBuilder } from '@nestjs/common';
import { TaskQueueModuleOptions } from '../options/module-options';

export const {
  ConfigurableModuleClass: ConfigurableTaskQueueModule,
  MODULE_OPTIONS_TOKEN: TASK_QUEUE_OPTIONS,
  OPTIONS_TYPE: TASK_QUEUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TASK_QUEUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TaskQueueModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
