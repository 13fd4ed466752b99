import type { ClassificationReport } from '$shared/classification-report';
import { csvRow as row } from '../../lib/download';
import { cellColour } from './colour-scale';

export { download } from '../../lib/download';

/** scikit-learn's classification_report as CSV: one row per class, then accuracy and the averages. */
export function reportCsv(report: ClassificationReport, classNames: readonly string[]): string {
  const scores = (s: { precision: number; recall: number; f1: number; support: number }) => [
    s.precision.toFixed(4),
    s.recall.toFixed(4),
    s.f1.toFixed(4),
    s.support,
  ];
  return [
    row(['class', 'precision', 'recall', 'f1-score', 'support']),
    ...report.perClass.map((s, c) => row([classNames[c] ?? String(c), ...scores(s)])),
    row(['accuracy', '', '', report.accuracy.toFixed(4), report.macro.support]),
    row(['macro avg', ...scores(report.macro)]),
    row(['weighted avg', ...scores(report.weighted)]),
  ].join('\r\n') + '\r\n';
}

/** The confusion matrix as CSV: rows are the true class, columns the prediction. */
export function confusionCsv(confusion: readonly (readonly number[])[], classNames: readonly string[]): string {
  return [
    row(['true \\ predicted', ...classNames]),
    ...confusion.map((counts, t) => row([classNames[t] ?? String(t), ...counts])),
  ].join('\r\n') + '\r\n';
}

/** Draws the matrix with its counts and class names onto a canvas, for saving as PNG. */
export function drawConfusion(
  canvas: HTMLCanvasElement,
  confusion: readonly (readonly number[])[],
  classNames: readonly string[],
): void {
  const n = confusion.length;
  const cell = 44;
  const margin = 120;
  canvas.width = margin + n * cell + 8;
  canvas.height = margin + n * cell + 8;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this window cannot draw on a canvas');
  const diagonalMax = Math.max(...confusion.map((r, i) => r[i]));
  const offMax = Math.max(0, ...confusion.flatMap((r, i) => r.filter((_, j) => j !== i)));
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  confusion.forEach((counts, t) =>
    counts.forEach((count, p) => {
      const x = margin + p * cell;
      const y = margin + t * cell;
      ctx.fillStyle = cellColour(count, t === p ? diagonalMax : offMax, t === p);
      ctx.fillRect(x, y, cell, cell);
      ctx.strokeStyle = '#d5d9e0';
      ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      ctx.fillStyle = '#1b1f27';
      if (count > 0) ctx.fillText(String(count), x + cell / 2, y + cell / 2);
    }),
  );
  ctx.fillStyle = '#1b1f27';
  ctx.textAlign = 'right';
  classNames.forEach((name, t) => ctx.fillText(name.slice(0, 14), margin - 6, margin + t * cell + cell / 2));
  ctx.save();
  ctx.textAlign = 'left';
  classNames.forEach((name, p) => {
    ctx.save();
    ctx.translate(margin + p * cell + cell / 2, margin - 6);
    ctx.rotate(-Math.PI / 3);
    ctx.fillText(name.slice(0, 14), 0, 0);
    ctx.restore();
  });
  ctx.restore();
  ctx.textAlign = 'left';
  ctx.fillText('rows: true class · columns: predicted', 8, 14);
}

