/**
 * `npm run bench [-- <section>...]`: runs each section (Celeriac side by side with its
 * peers on the same broker, in one run), prints a table of ratios and writes the figures
 * under bench/results/. Sections register themselves in SECTIONS below.
 */
import { cpus } from 'node:os';
import { amqpSection } from './amqp';
import { chordSection } from './chord/section';
import { dashboardSection } from './dashboard/section';
import { BenchSection, Measurement, formatTable, writeResults } from './report';
import { eventWritingSection } from './event-writing/section';
import { eventsSection, observabilitySection } from './redis/observability';
import { poolSection } from './pool/section';
import { redisSection } from './redis/section';

const SECTIONS: Record<string, () => Promise<BenchSection>> = {
  amqp: () => Promise.resolve(amqpSection()),
  redis: async () => redisSection(),
  observability: async () => observabilitySection(),
  events: async () => eventsSection(),
  'event-writing': async () => eventWritingSection(),
  pool: async () => poolSection(),
  dashboard: async () => dashboardSection(),
  chord: async () => chordSection(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  const unknown = names.filter((name) => !SECTIONS[name]);
  if (unknown.length > 0) {
    throw new Error(
      `unknown bench section(s): ${unknown.join(', ')} (have: ${Object.keys(SECTIONS).join(', ')})`,
    );
  }
  const measurements: Measurement[] = [];
  for (const name of names) {
    const section = await SECTIONS[name]();
    console.log(`\n# ${section.name}: running...`);
    measurements.push(...(await section.run()));
  }
  console.log(formatTable(measurements));
  const file = writeResults(measurements, {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
  });
  console.log(`\nFigures written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
