import { closeOpenApps } from './memory-app';

// A test that fails midway must not leave a worker running and keep jest from exiting.
afterEach(closeOpenApps);
