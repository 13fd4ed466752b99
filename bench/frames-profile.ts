/**
 * `npx tsx bench/frames-profile.ts [rendererDir]`: where the window's main thread spends its time while
 * a batch-32 run trains (the frames bench's scenario), from a CPU profile taken through Chromium's
 * DevTools protocol. Prints the functions with the most self time and the busiest call sites, so that
 * a change to the renderer can be aimed at what costs. Build an unminified renderer for readable names.
 * Figures only: nothing here fails on timing.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchApp } from '../tests/e2e/harness';
import { startBatch32Run, stopRun } from './frames-run';

const WINDOW_MS = Number(process.env.WINDOW_MS ?? 5000);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and inclusive time per function (a frame counted once per sample). */
function summarise(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode): string => {
    const file = n.callFrame.url ? path.basename(n.callFrame.url) : '';
    return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    all += dt;
    const node = byId.get(id)!;
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = name(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  const top = (map: Map<string, number>, count: number): string =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `  ${v.toFixed(0).padStart(6)} ms ${((100 * v) / all).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  console.log(`profile: ${all.toFixed(0)} ms sampled\nself time:\n${top(self, 30)}\ninclusive time:\n${top(total, 45)}`);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

/**
 * Tasks over 50 ms on the renderer's main thread, with their CPU time beside their wall time (a task
 * whose thread waited for a core is long in wall time only) and the events inside that cost most.
 */
async function trace(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (message) => events.push(...(message.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'] },
  });
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  await cdp.send('Tracing.end');
  await done;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return void console.log('no renderer main thread in the trace');
  const onMain = events.filter((e) => e.tid === main.tid && e.pid === main.pid && e.ph === 'X');
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const busy = tasks.reduce((a, t) => a + (t.dur ?? 0), 0) / 1000;
  const cpu = tasks.reduce((a, t) => a + (t.tdur ?? 0), 0) / 1000;
  console.log(`main thread: ${tasks.length} tasks, ${busy.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU in ${WINDOW_MS} ms`);
  const byName = new Map<string, [number, number]>();
  for (const e of onMain) {
    const entry = byName.get(e.name) ?? [0, 0];
    byName.set(e.name, [entry[0] + (e.dur ?? 0) / 1000, entry[1] + (e.tdur ?? 0) / 1000]);
  }
  console.log('events by wall time (wall / CPU ms):');
  for (const [name, [wall, threadTime]] of [...byName].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25)) {
    console.log(`  ${wall.toFixed(0).padStart(6)} / ${threadTime.toFixed(0).padStart(6)}  ${name}`);
  }
  for (const task of tasks.filter((t) => (t.dur ?? 0) > 50_000)) {
    const inside = onMain
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur!)
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
      .slice(0, 5)
      .map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(0)}/${((e.tdur ?? 0) / 1000).toFixed(0)}`);
    console.log(`long task ${(task.dur! / 1000).toFixed(0)} ms wall, ${((task.tdur ?? 0) / 1000).toFixed(0)} ms CPU: ${inside.join(', ')}`);
  }
}

async function main(): Promise<void> {
  if (process.argv[2]) process.env.MLP_LAB_RENDERER_DIR = path.resolve(process.argv[2]);
  const app = await launchApp();
  try {
    const { page } = app;
    await startBatch32Run(page);
    if (process.env.TRACE) await trace(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
    await cdp.send('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    summarise(profile);
    await stopRun(page);
  } finally {
    await app.close();
  }
}

await main();
