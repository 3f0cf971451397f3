/**
 * The Celeriac worker of the chord bench, in its own process as Celery's is: opens the
 * app on `BENCH_PLACE` at `BENCH_CONCURRENCY`, prints `BENCH {"ready":true}` and runs
 * until it is sent SIGTERM.
 */
import { ChordPlace } from './chord-place';
import { openChordApp } from './chord-app';

const place = JSON.parse(process.env.BENCH_PLACE!) as ChordPlace;
const concurrency = Number(process.env.BENCH_CONCURRENCY);

void openChordApp(place, concurrency).then((app) => {
  process.stdout.write('BENCH {"ready":true}\n');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
});
