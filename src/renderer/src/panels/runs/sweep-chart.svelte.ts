import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type TooltipItem,
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { STATIC_CHART, themeColours } from '../../charts/chart-base';
import { untrack } from 'svelte';
import { formatSweepValue, type SweepValue } from '$shared/experiments/sweep-values';
import type { SweepPoint } from './sweep-points';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, Filler, Legend, Tooltip);

/** A chart point that remembers its run, for the tooltip and the click. */
interface RunPoint {
  x: number;
  y: number;
  runId: string;
  seconds: number;
  params: number;
}

type Line = ChartDataset<'line', RunPoint[]>;

/** Colour-blind-safe (Okabe–Ito) colours, one per line of a grid. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

export interface SweepChartOptions {
  points: () => readonly SweepPoint[];
  /** How the first axis' values are placed: by a factor, evenly, or as names in `categories` order. */
  scale: () => 'log' | 'linear' | 'category';
  categories: () => readonly SweepValue[];
  xTitle: () => string;
  bestRunId: () => string | null;
  /** A click on a point opens its run. */
  onOpen: (runId: string) => void;
}

const percent = (v: number): string => `${(v * 100).toFixed(1)} %`;

/** Per line of the sweep (one for a one-setting sweep): test accuracy, train accuracy shading the gap to it, validation. */
function datasetsOf(points: readonly SweepPoint[], xOf: (v: SweepValue) => number, best: string | null): Line[] {
  const series = [...new Set(points.map((p) => p.series))];
  return series.flatMap((key, s) => {
    const colour = COLOURS[s % COLOURS.length]!;
    const mine = points.filter((p) => p.series === key).sort((a, b) => xOf(a.value) - xOf(b.value));
    const line = (pick: (p: SweepPoint) => number | null): RunPoint[] =>
      mine.flatMap((p) => {
        const y = pick(p);
        return y === null ? [] : [{ x: xOf(p.value), y, runId: p.runId, seconds: p.seconds, params: p.params }];
      });
    const suffix = key === null ? '' : ` (${formatSweepValue(key)})`;
    const test = line((p) => p.testAccuracy);
    const first = s * 3;
    return [
      {
        label: `test${suffix}`,
        data: test,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointRadius: test.map((p) => (p.runId === best ? 9 : 4)),
        pointStyle: test.map((p) => (p.runId === best ? 'star' : 'circle')),
        tension: 0,
      },
      // The gap between training and test accuracy, shaded: overfitting made visible.
      {
        label: `training${suffix}`,
        data: line((p) => p.trainAccuracy),
        borderColor: colour,
        backgroundColor: `${colour}22`,
        borderDash: [2, 3],
        borderWidth: 1.5,
        pointRadius: 2,
        tension: 0,
        fill: { target: first },
      },
      { label: `validation${suffix}`, data: line((p) => p.valAccuracy), borderColor: colour, backgroundColor: colour, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 2, tension: 0 },
    ];
  });
}

export function sweepChart(options: SweepChartOptions): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const { text, grid } = themeColours(canvas);
    const chart = untrack(
      () =>
        new Chart<'line', RunPoint[]>(canvas, {
          type: 'line',
          data: { datasets: [] },
          options: {
            ...STATIC_CHART,
            interaction: { mode: 'nearest', intersect: true },
            scales: {
              x: { type: 'linear', title: { display: true, text: '', color: text }, ticks: { color: text }, grid: { color: grid } },
              y: { type: 'linear', title: { display: true, text: 'accuracy', color: text }, ticks: { color: text, callback: (v) => percent(Number(v)) }, grid: { color: grid } },
            },
            plugins: {
              legend: { position: 'bottom', labels: { color: text, boxWidth: 12, boxHeight: 2 } },
              tooltip: {
                callbacks: {
                  label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${percent(item.parsed.y ?? 0)}`,
                  afterLabel: (item: TooltipItem<'line'>) => {
                    const p = item.raw as RunPoint;
                    return `time ${p.seconds.toFixed(1)} s · ${p.params.toLocaleString('en')} parameters`;
                  },
                },
              },
            },
            onClick: (_event, elements) => {
              const hit = elements[0];
              if (!hit) return;
              const p = chart.data.datasets[hit.datasetIndex]?.data[hit.index];
              if (p) options.onOpen(p.runId);
            },
          },
        }),
    );
    $effect(() => {
      const points = options.points();
      const scale = options.scale();
      const categories = options.categories();
      // A log axis cannot show 0 (an L2 sweep from none): such a sweep is drawn evenly instead.
      const log = scale === 'log' && points.every((p) => typeof p.value === 'number' && p.value > 0);
      const xOf = (v: SweepValue): number => (scale === 'category' ? Math.max(0, categories.indexOf(v)) : (v as number));
      const x = chart.options.scales!.x!;
      Object.assign(x, { type: log ? 'logarithmic' : 'linear' });
      x.title = { display: true, text: options.xTitle(), color: text };
      x.ticks = {
        color: text,
        ...(scale === 'category' ? { stepSize: 1, callback: (v: string | number) => formatSweepValue(categories[Number(v)] ?? '') } : {}),
        ...(log ? { callback: (v: string | number) => formatSweepValue(Number(v)) } : {}),
      };
      chart.data.datasets = datasetsOf(points, xOf, options.bestRunId());
      canvas.dataset.points = String(points.length);
      chart.update('none');
    });
    return () => chart.destroy();
  };
}
