/**
 * `node -r ./test/support/ts-register.js bench/spread.ts <run.json>...`: the median and
 * the range of each figure over several bench runs (files written under bench/results/),
 * as a Markdown table, for a machine where one run says little.
 */
import { readFileSync } from 'node:fs';
import { Measurement } from './report';
import { median } from './stats';

function figure(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function main(files: string[]): void {
  if (files.length === 0) throw new Error('give the result files of some runs');
  const runs = files.map(
    (file) =>
      (
        JSON.parse(readFileSync(file, 'utf8')) as {
          measurements: Measurement[];
        }
      ).measurements,
  );
  const keys = [
    ...new Set(runs[0].map((m) => `${m.section}\u0000${m.scenario}`)),
  ];
  const systems = [...new Set(runs[0].map((m) => m.system))];
  const [subject, ...others] = systems.includes('celeriac')
    ? ['celeriac', ...systems.filter((s) => s !== 'celeriac')]
    : systems;
  console.log(
    `| scenario | ${systems.join(' | ')} | ${others.map((o) => `${subject} vs ${o}`).join(' | ')} |`,
  );
  console.log(`|${'---|'.repeat(1 + systems.length + others.length)}`);
  for (const key of keys) {
    const [section, scenario] = key.split('\u0000');
    const of = (system: string) =>
      runs.map((run) =>
        run.find(
          (m) =>
            m.section === section &&
            m.scenario === scenario &&
            m.system === system,
        ),
      );
    const cell = (system: string) => {
      const values = of(system).flatMap((m) => (m ? [m.value] : []));
      if (values.length === 0) return '-';
      const unit = of(system).find(Boolean)!.unit;
      return `${figure(median(values))} ${unit} (${figure(Math.min(...values))}–${figure(Math.max(...values))})`;
    };
    const ratio = (other: string) => {
      const mine = of(subject);
      const theirs = of(other);
      const ratios = mine.flatMap((m, i) => {
        const t = theirs[i];
        if (!m || !t || m.value === 0 || t.value === 0) return [];
        return [m.better === 'higher' ? m.value / t.value : t.value / m.value];
      });
      if (ratios.length === 0) return '-';
      return `${median(ratios).toFixed(2)}x (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
    };
    console.log(
      `| ${scenario} | ${systems.map(cell).join(' | ')} | ${others.map(ratio).join(' | ')} |`,
    );
  }
}

main(process.argv.slice(2));
