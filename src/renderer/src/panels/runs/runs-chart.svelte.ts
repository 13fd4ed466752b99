import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { STATIC_CHART, themeColours } from '../../charts/chart-base';
import { untrack } from 'svelte';

// The pieces a line chart needs (registering them again, as the Train charts do, is harmless).
Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** One curve: a run's train or validation series, in the run's colour (validation dashed). */
export interface RunSeries {
  label: string;
  colour: string;
  dashed: boolean;
  points: readonly { x: number; y: number }[];
}

type Line = ChartDataset<'line', { x: number; y: number }[]>;

/**
 * A chart.js line chart of any number of runs' curves. Unlike the Train panel's fixed series, the set
 * of curves changes as runs are ticked and recoloured: the datasets are rebuilt on each change.
 */
export function runsChart(options: {
  yTitle: string;
  formatY?: (value: number) => string;
  series: () => readonly RunSeries[];
}): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const { text, grid } = themeColours(canvas);
    const axis = (title: string) => ({ type: 'linear' as const, title: { display: true, text: title, color: text }, ticks: { color: text }, grid: { color: grid } });
    const chart = untrack(
      () =>
        new Chart<'line', { x: number; y: number }[]>(canvas, {
          type: 'line',
          data: { datasets: [] },
          options: {
            ...STATIC_CHART,
            interaction: { mode: 'nearest', intersect: false },
            scales: {
              x: { ...axis('epoch'), min: 0, ticks: { color: text, precision: 0 } },
              y: { ...axis(options.yTitle), ticks: { color: text, ...(options.formatY ? { callback: (v) => options.formatY!(Number(v)) } : {}) } },
            },
            // The legend beside the charts names the runs and lets their colours change.
            plugins: { legend: { display: false } },
          },
        }),
    );
    $effect(() => {
      const series = options.series();
      chart.data.datasets = series.map(
        (s, i): Line => ({
          label: s.label,
          // Copies: chart.js instruments the arrays it is given, and these belong to the app state.
          data: s.points.map((p) => ({ x: p.x, y: p.y })),
          borderColor: s.colour,
          backgroundColor: s.colour,
          borderDash: s.dashed ? [6, 4] : [],
          borderWidth: 2,
          pointRadius: 2,
          tension: 0,
          // chart.js draws a higher order sooner: the run ticked last lands on top of identical curves.
          order: series.length - i,
        }),
      );
      canvas.dataset.series = String(series.length);
      canvas.dataset.points = String(series.reduce((total, s) => total + s.points.length, 0));
      chart.update('none');
    });
    return () => chart.destroy();
  };
}
