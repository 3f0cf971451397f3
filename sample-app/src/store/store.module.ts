import { DynamicModule, Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { JsonFileStore } from './json-file-store';

export const USERS = 'USERS_STORE';
export const VIDEOS = 'VIDEOS_STORE';
export const EVENTS = 'EVENTS_STORE';
export const OUTBOX = 'OUTBOX_STORE';
export const REPORTS = 'REPORTS_STORE';

const COLLECTIONS = {
  [USERS]: 'users',
  [VIDEOS]: 'videos',
  [EVENTS]: 'events',
  [OUTBOX]: 'outbox',
  [REPORTS]: 'reports',
};

/** One JsonFileStore per collection under `dataDir`, injectable by token. */
@Global()
@Module({})
export class StoreModule {
  static forRoot(dataDir: string): DynamicModule {
    const providers = Object.entries(COLLECTIONS).map(
      ([token, collection]) => ({
        provide: token,
        useValue: new JsonFileStore(join(dataDir, collection)),
      }),
    );
    return {
      module: StoreModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
