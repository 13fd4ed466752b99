/** The "Backend choice" section of `npm run bench`: choice-child.ts in a child, as a table. */
import { fileURLToPath } from 'node:url';
import type { ChoiceFigures } from './choice-child';
import { int, table, times } from './format';
import { runBenchChild } from './children';

const CHILD = fileURLToPath(new URL('./choice-child.ts', import.meta.url));
const TIMEOUT_MS = 600_000;

export type ChoiceOutcome = { kind: 'figures'; figures: ChoiceFigures } | { kind: 'unavailable' | 'failed'; reason: string };

/** Runs choice-child.ts (its stderr shown live) and reads its JSON line. */
export async function runChoice(rounds = 3): Promise<ChoiceOutcome> {
  const out = await runBenchChild(CHILD, ['--rounds', String(rounds)], {}, TIMEOUT_MS).catch((error: Error) => ({ ok: false as const, reason: error.message }));
  if (!out.ok) return { kind: 'failed', reason: out.reason };
  const parsed = out.value as ChoiceFigures | { unavailable: string };
  return 'unavailable' in parsed ? { kind: 'unavailable', reason: parsed.unavailable } : { kind: 'figures', figures: parsed };
}

/** One row per case: each backend forced, what the app chose, and whether that is the faster. */
export function choiceTable(figures: ChoiceFigures): string {
  const header = ['preset', 'batch', ...figures.backends.map((b) => `${b.label} samples/s`), 'app chooses', 'choice ms', 'auto samples/s', 'auto / faster', 'chose the faster'];
  const rows = figures.cases.map((c) => {
    const [fastest] = Object.entries(c.forced).sort((a, b) => b[1] - a[1]);
    const label = (name: string): string => figures.backends.find((b) => b.name === name)?.label ?? name;
    const right = c.chosen.filter((name) => name === fastest[0]).length;
    return [
      c.preset,
      String(c.batchSize),
      ...figures.backends.map((b) => int(Math.round(c.forced[b.name]))),
      c.chosen.map(label).join(', '),
      int(Math.round(c.choiceMs)),
      int(Math.round(c.auto)),
      times(c.auto / fastest[1]),
      `${right === c.chosen.length ? 'yes' : right === 0 ? 'no' : 'sometimes'} (${right}/${c.chosen.length})`,
    ];
  });
  return table(header, rows, header.map((_, i) => i > 0 && i !== header.length - 1 && i !== header.length - 5));
}
