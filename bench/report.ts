import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One figure from one system in one scenario. */
export interface Measurement {
  section: string;
  scenario: string;
  system: string;
  value: number;
  unit: string;
  /** Whether more is better (throughput) or less is (latency, memory). */
  better: 'higher' | 'lower';
}

/** A group of scenarios run on one broker, with the system the others are compared to. */
export interface BenchSection {
  name: string;
  /** The system every ratio is taken against (Celeriac's figure / this one's, or the inverse). */
  baseline: string;
  run(): Promise<Measurement[]>;
}

/**
 * A table per section: one row per scenario, one column per system, and the ratio of
 * Celeriac to each other system ("2.10x" means Celeriac is 2.1 times better, whichever way
 * "better" points for that scenario).
 */
export function formatTable(
  measurements: Measurement[],
  subject = 'celeriac',
): string {
  const lines: string[] = [];
  for (const section of unique(measurements.map((m) => m.section))) {
    const rows = measurements.filter((m) => m.section === section);
    const systems = unique(rows.map((m) => m.system));
    const others = systems.filter((system) => system !== subject);
    const header = [
      'scenario',
      ...systems,
      ...others.map((other) => `${subject} vs ${other}`),
    ];
    const table: string[][] = [header];
    for (const scenario of unique(rows.map((m) => m.scenario))) {
      const byScenario = rows.filter((m) => m.scenario === scenario);
      const figure = (system: string) =>
        byScenario.find((m) => m.system === system);
      const mine = figure(subject);
      table.push([
        scenario,
        ...systems.map((system) => {
          const m = figure(system);
          return m ? `${round(m.value)} ${m.unit}` : '-';
        }),
        ...others.map((other) => {
          const theirs = figure(other);
          if (!mine || !theirs || theirs.value === 0 || mine.value === 0)
            return '-';
          const ratio =
            mine.better === 'higher'
              ? mine.value / theirs.value
              : theirs.value / mine.value;
          return `${ratio.toFixed(2)}x`;
        }),
      ]);
    }
    lines.push(`\n## ${section}\n`, ...renderColumns(table));
  }
  return lines.join('\n');
}

/** Writes the run as JSON under bench/results/ (a dated file and latest.json). */
export function writeResults(
  measurements: Measurement[],
  meta: Record<string, unknown>,
): string {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const body = JSON.stringify({ ...meta, measurements }, null, 2);
  const file = join(dir, `${stamp}.json`);
  writeFileSync(file, body);
  writeFileSync(join(dir, 'latest.json'), body);
  return file;
}

function renderColumns(table: string[][]): string[] {
  const widths = table[0].map((_, column) =>
    Math.max(...table.map((row) => row[column].length)),
  );
  const render = (row: string[]) =>
    `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    render(table[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...table.slice(1).map(render),
  ];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}
