/** The training kernel's section of `npm run bench`: its speed beside the references the issue set it. */
import os from 'node:os';
import type { KernelFigures, ReferenceRun } from './figures';
import { int, table, times } from './format';

interface Rate {
  samplesPerSecond: number;
  samplesPerCpuSecond?: number;
}

/**
 * A row: our figure on 1 thread and on threads (and the gain), theirs, the ratio of each to theirs and
 * the target (judged on the app's plan: `planned` says which); then the same per CPU-second.
 */
function row(workload: string, one: Rate, many: Rate, planned: string, reference: string, theirs: Rate | undefined, target: number): string[] {
  const ratio = (ours: Rate): number => (theirs ? ours.samplesPerSecond / theirs.samplesPerSecond : NaN);
  const chosen = /(^|, )1 thread/.test(planned) ? one : many;
  const verdict = Number.isFinite(ratio(chosen)) ? (ratio(chosen) >= target ? 'met' : 'not met') : '—';
  const cpu = (r: Rate | undefined): string => (r?.samplesPerCpuSecond ? int(r.samplesPerCpuSecond) : '—');
  const cpuRatio = (ours: Rate): string => (ours.samplesPerCpuSecond && theirs?.samplesPerCpuSecond ? times(ours.samplesPerCpuSecond / theirs.samplesPerCpuSecond) : '—');
  const shown = (r: number): string => (Number.isFinite(r) ? times(r) : '—');
  return [
    workload,
    int(one.samplesPerSecond),
    `${int(many.samplesPerSecond)} (${times(many.samplesPerSecond / one.samplesPerSecond)})`,
    planned,
    reference,
    theirs ? int(theirs.samplesPerSecond) : '—',
    `${shown(ratio(one))} / ${shown(ratio(many))}`,
    `≥ ${target}× ${verdict}`,
    `${cpu(one)} / ${cpu(many)} / ${cpu(theirs)} = ${cpuRatio(one)} / ${cpuRatio(many)}`,
  ];
}

export function kernelTable(k: KernelFigures, reference: ReferenceRun | null): string {
  const torch = reference && !('unavailable' in reference.torch) ? reference.torch : null;
  const loader = torch?.loader32OneThread;
  const big = torch?.big256TwoThreads;
  const { threaded, plan, threads } = k;
  const rows = [
    row('sklearn-exercise 784-50-10, SGD Nesterov, batch 200', k.b200, threaded.b200, plan.b200, 'scikit-learn MLPClassifier', reference?.sklearn, 2.5),
    row('the same, batch 32', k.b32, threaded.b32, plan.b32, 'PyTorch + DataLoader, 1 thread', loader, 3.0),
    row('784-512-256-10 relu, Adam, batch 256', k.big256, threaded.big256, plan.big256, 'PyTorch, 2 threads', big, 1.2),
  ];
  if (k.tfjsBig256) {
    const t = k.tfjsBig256;
    rows.push(['784-512-256-10 Adam b256 on the tfjs step (wasm, 1 thread), for comparison', int(t.samplesPerSecond), '', '', '', '', '', '', t.samplesPerCpuSecond ? int(t.samplesPerCpuSecond) : '—']);
  }
  const lines = [
    table(
      [
        'workload',
        `kernel 1 thread (${k.detail.replace(/, 1 thread.*$/, '')}) samples/s`,
        `kernel ${threads} threads samples/s (gain)`,
        "the app's plan",
        'reference',
        'its samples/s',
        `ratio: 1 thread / ${threads} threads`,
        "issue 22 target (the plan's ratio)",
        `samples per CPU-second: 1 thread / ${threads} threads / theirs = ratios`,
      ],
      rows,
      [false, true, true, false, false, true, true, false, true],
    ),
    '',
    'Per CPU-second: samples over each process\'s CPU time (every thread), which load from elsewhere inflates far less than wall time. ' +
      'For one thread against one thread it is the speed on an idle core; PyTorch on 2 threads, and the threaded kernel, can spend up to 2 CPU-seconds a second, ' +
      'so for them it says how much work the threads waste (spinning, waiting), not their speed.',
    `Threads: each workload ran on 1 thread and on ${threads} (MLP_LAB_KERNEL_THREADS) alternately, two rounds each after an untimed one (the first run's page faults on the kernel's copy of the set: once per app session), summed; the app's plan (MLP_LAB_KERNEL_THREADS unset) is what the stepper would pick here.`,
    '',
    `kernel samples/s: wall clock of train() with the kernel's stepper (setup included, validation as the preset), after a 6,000-image warm-up; ` +
      `sklearn-exercise at batch 200 2 rounds × 3 epochs × 60,000 images a train() call (scikit-learn's fit: 3 epochs), at batch 32 2 × 1 epoch (PyTorch's DataLoader: 1), the big net 2 × 30,000. Last round's training accuracy: b200 ${(100 * k.b200.accuracy).toFixed(1)} %, ` +
      `b32 ${(100 * k.b32.accuracy).toFixed(1)} %, big ${(100 * k.big256.accuracy).toFixed(1)} %.`,
    `matrix products: the first layer's X·W1ᵀ (200×784 by 784×50) alone ${k.productGmacs.toFixed(1)} GMAC/s; ` +
      `whole steps (the multiply-adds every product does, the sparse first layer's only on lit pixels, over train()'s in-loop time) ${k.stepGmacs.b200.toFixed(1)} GMAC/s at b200, ${k.stepGmacs.big256.toFixed(1)} GMAC/s on the big net on 1 thread; ` +
      `${k.threadedStepGmacs.b200.toFixed(1)} and ${k.threadedStepGmacs.big256.toFixed(1)} GMAC/s on ${k.threads} threads (their ceiling: ${k.threads} × the peak below).`,
    `this machine's peak: ${k.peakGmacs.toFixed(1)} GMAC/s with 128-bit wasm SIMD on one thread (register-only multiply-adds, measured now); ` +
      `native AVX2 FMA on ${os.cpus().length} cores would be ${nativePeak()}.`,
  ];
  return lines.join('\n');
}

/** cores × clock × 8 lanes × 2 FMA units, from what the OS reports (an upper bound, not measured). */
function nativePeak(): string {
  const cpus = os.cpus();
  const mhz = Math.max(...cpus.map((c) => c.speed));
  if (!Number.isFinite(mhz) || mhz <= 0) return 'unknown (no clock reported)';
  return `about ${((cpus.length * mhz * 16) / 1000).toFixed(0)} GMAC/s (${cpus.length} × ${(mhz / 1000).toFixed(2)} GHz × 16, if the CPU has two FMA units)`;
}
