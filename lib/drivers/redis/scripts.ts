import { RedisScript } from './script';

/*
 * The catalogue of ./lua: one RedisScript per file. Each file's header says its KEYS
 * and ARGV. Scripts that build key names at run time get them from the key layout of
 * lib/transports/redis/keys.ts (RedisKeys.luaLayout), never from the Lua itself.
 */

// Transport: publish, fetch and settle (lib/transports/redis).
export const publishDelayedScript = new RedisScript('publish-delayed-3');
export const fetchScript = new RedisScript('fetch-n');
export const ackScript = new RedisScript('ack-3');
export const requeueScript = new RedisScript('requeue-5');
export const deferScript = new RedisScript('defer-5');
export const deadLetterScript = new RedisScript('dead-letter-4');
export const renewScript = new RedisScript('renew-3');
export const sweepScript = new RedisScript('sweep-4');
export const giveBackScript = new RedisScript('give-back-3');
export const replayDeadScript = new RedisScript('replay-dead-2');

// Beat's tick lock (lib/locks/redis).
export const beatStateScript = new RedisScript('beat-state-1');
export const beatClaimScript = new RedisScript('beat-claim-2');
export const beatReleaseScript = new RedisScript('beat-release-1');
export const beatCompleteScript = new RedisScript('beat-complete-1');
export const beatSetPausedScript = new RedisScript('beat-set-paused-1');

// Fleet rate limits (lib/rate-limit/redis).
export const rateReserveScript = new RedisScript('rate-reserve-1');

// Results and revocations (lib/results/redis).
export const storeResultsScript = new RedisScript('store-results-n');
export const addRevokedScript = new RedisScript('add-revoked-1');
export const listRevokedScript = new RedisScript('list-revoked-1');
export const chordPartScript = new RedisScript('chord-part-3');

// The dashboard's task history (lib/dashboard/history).
export const dashboardHistoryScript = new RedisScript('dashboard-history-1');
export const dashboardChildrenScript = new RedisScript('dashboard-children-1');
