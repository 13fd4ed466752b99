/** The tables of `npm run bench`: training and inference per backend, the reference, the step breakdown. */
import type { BackendOutcome } from './children';
import type { BenchFigures, ReferenceRun, StepFigure } from './figures';
import { describeBackend, type BackendName } from '../src/shared/backend';
import { int, ms, table, times } from './format';

const TOP_KERNELS = 8;

export const labelOf = (backend: string): string => (backend === 'tensorflow' ? 'tfjs-node' : backend);

const isSubset = (f: BenchFigures): boolean => f.fast.b200.images < 60_000 || f.fast.b200.epochs !== 2;

/** e.g. "wasm (SIMD, 2 threads)", with the reason when threads fell back to one. */
function backendName(f: BenchFigures): string {
  return describeBackend({ ...f, active: f.backend as BackendName });
}

function trainCell(f: BenchFigures['fast']['b200']): string {
  return `${int(f.samplesPerSecond)} (loop ${int(f.inLoopSamplesPerSecond)})`;
}

export function backendTable(outcomes: BackendOutcome[]): string {
  const header = ['backend', 'samples/s b200', 'samples/s b32', 'model.fit samples/s', 'speed-up vs fit', 'inference median / p95 ms', 'peak RSS MB'];
  const notes: string[] = [];
  const rows = outcomes.map((o): string[] => {
    if (o.kind !== 'figures') {
      const mark = '²³⁴⁵'[notes.length];
      const reason = o.reason.replace(/^Backend "[^"]*" is not available here: /, '');
      notes.push(`${mark} ${labelOf(o.backend)} ${o.kind === 'failed' ? 'FAILED' : 'unavailable'}: ${reason}`);
      return [`${labelOf(o.backend)} ${mark}`, o.kind === 'failed' ? 'FAILED' : 'unavailable', '—', '—', '—', '—', '—'];
    }
    const f = o.figures;
    const note = isSubset(f) ? ' ¹' : '';
    return [
      `${backendName(f)}${note}`,
      trainCell(f.fast.b200),
      trainCell(f.fast.b32),
      int(f.fit.samplesPerSecond),
      times(f.speedUpVsFit),
      `${ms(f.inference.medianMs, 3)} / ${ms(f.inference.p95Ms, 3)}`,
      int(f.peakRssMb),
    ];
  });
  const subsets = outcomes.flatMap((o) => (o.kind === 'figures' && isSubset(o.figures) ? [o.figures] : []));
  const subsetNotes = subsets.map(
    (f) => `¹ ${f.label}: fast loop measured on ${f.fast.b200.epochs} epoch × ${int(f.fast.b200.images)} images only (it is ~20× slower).`,
  );
  return [table(header, rows, [false, true, true, true, true, true, true]), ...subsetNotes, ...notes].join('\n');
}

/** One ratio column per wasm row (1 thread, N threads). */
export function referenceTable(reference: ReferenceRun, wasm: BenchFigures[]): string {
  const ratio = (theirs: number, b: 200 | 32): string =>
    wasm.length ? wasm.map((f) => times((b === 200 ? f.fast.b200 : f.fast.b32).samplesPerSecond / theirs)).join(' / ') : '—';
  const s = reference.sklearn;
  const rows: string[][] = [
    [
      `scikit-learn ${s.version} MLPClassifier, ${s.dtype}, ${s.epochs} epochs`,
      '200',
      int(s.samplesPerSecond),
      ratio(s.samplesPerSecond, 200),
    ],
  ];
  const t = reference.torch;
  if ('unavailable' in t) {
    rows.push(['PyTorch', '', `unavailable: ${t.unavailable}`, '']);
  } else {
    for (const [batch, run] of [[200, t.b200], [32, t.b32]] as const) {
      rows.push([
        `PyTorch ${t.version} CPU, ${t.threads} thread${t.threads === 1 ? '' : 's'}, ${run.epochs} epochs`,
        String(batch),
        int(run.samplesPerSecond),
        ratio(run.samplesPerSecond, batch),
      ]);
    }
    rows.push([
      `PyTorch ${t.version} CPU, DataLoader(TensorDataset, shuffle), ${t.loader32.epochs} epoch`,
      '32',
      int(t.loader32.samplesPerSecond),
      ratio(t.loader32.samplesPerSecond, 32),
    ]);
  }
  const ours = wasm.length ? `ours / theirs: ${wasm.map((f) => `${f.threads ?? 1} thr`).join(' / ')}` : 'our wasm / theirs';
  return table(['reference', 'batch', 'samples/s', ours], rows, [false, true, true, true]);
}

export function stepSection(f: BenchFigures): string {
  const lines: string[] = [];
  const main = f.steps[0];
  const summary = (s: StepFigure): string => {
    const gap = s.wallMs - s.kernelMs;
    const outside =
      gap > 0
        ? `outside kernels ${ms(gap, 3)} ms (${Math.round((100 * gap) / s.wallMs)} %)`
        : 'outside kernels ≈ 0 (kernel-bound; profiled kernels ran slower than the unprofiled steps)';
    const loop =
      s.loopMs === undefined
        ? ''
        : `; train() loop ${ms(s.loopMs, 3)} ms/batch, of which outside the step ${ms(s.loopMs - s.wallMs, 3)} ms` +
          (s.fillMs === undefined || s.uploadMs === undefined ? '' : ` (fill ${ms(s.fillMs, 3)}, upload x + xT ${ms(s.uploadMs, 3)})`);
    return (
      `batch ${s.batchSize}: ${ms(s.wallMs, 3)} ms/step wall (unprofiled), ` +
      `${ms(s.kernelMs, 3)} ms in ${Math.round(s.launches)} kernel launches, ${outside}; ` +
      `profiled step ${ms(s.profiledWallMs, 3)} ms${loop}`
    );
  };
  for (const s of f.steps) lines.push(`${backendName(f)} — ${summary(s)}`);
  const rows = main.kernels.slice(0, TOP_KERNELS).map((k) => [
    k.name,
    k.calls % 1 === 0 ? String(k.calls) : k.calls.toFixed(1),
    ms(k.ms, 3),
    `${((100 * k.ms) / main.kernelMs).toFixed(1)} %`,
  ]);
  const rest = main.kernels.slice(TOP_KERNELS);
  if (rest.length) {
    const restMs = rest.reduce((sum, k) => sum + k.ms, 0);
    rows.push([
      `(${rest.length} others)`,
      String(Math.round(rest.reduce((sum, k) => sum + k.calls, 0))),
      ms(restMs, 3),
      `${((100 * restMs) / main.kernelMs).toFixed(1)} %`,
    ]);
  }
  lines.push(table([`kernel (batch ${main.batchSize})`, 'calls/step', 'ms/step', 'share of kernel ms'], rows, [false, true, true, true]));
  if (main.wrappers.length) lines.push(`(op wrappers left out, their time is their kernels': ${main.wrappers.join(', ')})`);
  return lines.join('\n');
}
