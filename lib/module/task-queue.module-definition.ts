import { ConfigurableModuleBuilder } from '@nestjs/common';
import { TaskQueueModuleOptions } from '../options/module-options';

export const {
  ConfigurableModuleClass: ConfigurableTaskQueueModule,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE: TASK_QUEUE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TASK_QUEUE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TaskQueueModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/**
 * The DI token of the options given to `TaskQueueModule.forRoot` / `forRootAsync`, as
 * given (before defaults): inject it to read them in a provider of your own.
 */
export const TASK_QUEUE_OPTIONS = MODULE_OPTIONS_TOKEN;
