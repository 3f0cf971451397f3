/** What one chaos scenario reports. A scenario fails on any loss. */
export interface Tally {
  scenario: string;
  /** Tasks (or ticks) whose send resolved. */
  sent: number;
  /** Of those, how many ran to the end at least once. */
  completed: number;
  /** Sent and never completed (ticks due and never sent, for beat). */
  lost: number;
  /** Started more than once (at-least-once delivery after a kill; not a failure). */
  runTwice: number;
  /** What else the scenario saw: kills, restarts, refused sends. */
  notes: string;
  /** Running twice fails the scenario too (a beat tick sent twice). */
  failOnRunTwice?: boolean;
}

/** Prints the table; false when any scenario lost something (or ran twice what must not). */
export function printTallies(tallies: Tally[]): boolean {
  const rows = tallies.map((t) => [
    t.scenario,
    String(t.sent),
    String(t.completed),
    String(t.lost),
    String(t.runTwice),
    t.notes,
  ]);
  const header = [
    'scenario',
    'sent',
    'completed',
    'lost',
    'run twice',
    'notes',
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  return tallies.every(
    (t) => t.lost === 0 && !(t.failOnRunTwice && t.runTwice > 0),
  );
}
