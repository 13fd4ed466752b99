import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';

// Only what a line chart on linear axes needs, so the bundle leaves the rest of chart.js out.
Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

export interface SeriesStyle {
  label: string;
  /** A CSS custom property holding the colour, so the series follows the theme. */
  colorVar: string;
  /** Thin, pointless and dashed: many noisy points rather than a few meaningful ones. */
  thin?: boolean;
  /** A few marked points without a line (the best epoch), drawn large on top. */
  marker?: boolean;
}

export interface LineChartOptions {
  series: readonly SeriesStyle[];
  xTitle: string;
  yTitle: string;
  formatY?: (value: number) => string;
  /**
   * Each series' points, read reactively: the chart redraws when they change. A series may grow in
   * place (the same array with more points: only the new points are copied); any other change must
   * come as another array.
   */
  data: () => readonly (readonly { x: number; y: number }[])[];
  /** Where the x axis should reach at least (the planned last epoch), read reactively. */
  xMax: () => number;
  /** Where the x axis starts (default 0). */
  xMin?: number;
  formatX?: (value: number) => string;
  /** Distance between x ticks (default: whole numbers). */
  xStep?: number;
  /** Where the y axis ends at most (accuracy: 1). */
  yMax?: number;
  /** Points drawn per series (default 2.5 px, 0 for thin series). */
  pointRadius?: number;
}

type Line = ChartDataset<'line', { x: number; y: number }[]>;

/**
 * Attaches a chart.js line chart to a canvas. The chart is built once. Data changes are drawn at the
 * next animation frame, once however many arrived since the last one, without animation, and only if
 * something the chart shows changed: while a batch-32 run trains, progress comes ten times a second
 * and most reports change one chart of two.
 */
export function lineChart(options: LineChartOptions): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const chart = untrack(() => new Chart<'line', { x: number; y: number }[]>(canvas, config(options)));
    const applyTheme = (): void => {
      const css = getComputedStyle(canvas);
      const read = (name: string): string => css.getPropertyValue(name).trim();
      const text = read('--text-muted');
      const grid = read('--border');
      chart.options.color = text;
      for (const axis of ['x', 'y'] as const) {
        const scale = chart.options.scales![axis]!;
        scale.grid!.color = grid;
        scale.ticks!.color = text;
        scale.title!.color = text;
      }
      options.series.forEach((style, i) => {
        const color = read(style.colorVar);
        const dataset = chart.data.datasets[i];
        dataset.borderColor = color;
        dataset.backgroundColor = color;
      });
    };
    applyTheme();
    chart.update('none');

    const copies = options.series.map((_, i) => new SeriesCopy(chart.data.datasets[i]));
    let latest: { data: readonly (readonly Point[])[]; xMax: number } | null = null;
    let frame = 0;
    const draw = (): void => {
      frame = 0;
      if (!latest) return;
      const { data, xMax } = latest;
      latest = null;
      let changed = false;
      data.forEach((points, i) => (changed = copies[i].follow(points) || changed));
      const suggestedMax = Math.max(1, xMax);
      const x = chart.options.scales!.x!;
      if (x.suggestedMax !== suggestedMax) {
        x.suggestedMax = suggestedMax;
        changed = true;
      }
      if (changed) chart.update('none');
    };
    $effect(() => {
      // Read here, so the effect follows them; drawn at the next frame.
      latest = { data: options.data(), xMax: options.xMax() };
      if (!frame) frame = requestAnimationFrame(draw);
    });

    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = (): void => {
      applyTheme();
      chart.update('none');
    };
    scheme.addEventListener('change', onScheme);
    return () => {
      scheme.removeEventListener('change', onScheme);
      if (frame) cancelAnimationFrame(frame);
      chart.destroy();
    };
  };
}

interface Point {
  x: number;
  y: number;
}

/**
 * The chart's own copy of one series (chart.js instruments the arrays it is given, and the app's
 * belong to its state): copied whole when the series is another array, extended by the new points when
 * the same array grew.
 */
class SeriesCopy {
  #source: readonly Point[] | null = null;
  readonly dataset: Line;

  constructor(dataset: Line) {
    this.dataset = dataset;
  }

  /** Brings the copy up to `points`; false when it already was. */
  follow(points: readonly Point[]): boolean {
    const copy = this.dataset.data;
    if (points === this.#source && points.length === copy.length) return false;
    if (points === this.#source && points.length > copy.length) {
      copy.push(...points.slice(copy.length).map((p) => ({ x: p.x, y: p.y })));
    } else {
      this.#source = points;
      this.dataset.data = points.map((p) => ({ x: p.x, y: p.y }));
    }
    return true;
  }
}

function config(options: LineChartOptions) {
  const datasets: Line[] = options.series.map((style) =>
    style.marker
      ? { label: style.label, data: [], showLine: false, pointStyle: 'rectRot', pointRadius: 7, pointHoverRadius: 8, borderWidth: 2, order: -1 }
      : {
          label: style.label,
          data: [],
          borderWidth: style.thin ? 1 : 2,
          pointRadius: style.thin ? 0 : (options.pointRadius ?? 2.5),
          pointHoverRadius: style.thin ? 0 : 4,
          tension: 0,
          order: style.thin ? 1 : 0,
        },
  );
  const chartOptions: ChartOptions<'line'> = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: {
        type: 'linear',
        min: options.xMin ?? 0,
        title: { display: true, text: options.xTitle },
        ticks: {
          ...(options.xStep === undefined ? { precision: 0 } : { stepSize: options.xStep }),
          ...(options.formatX ? { callback: (value: string | number) => options.formatX!(Number(value)) } : {}),
        },
        grid: {},
      },
      y: {
        type: 'linear',
        max: options.yMax,
        title: { display: true, text: options.yTitle },
        ticks: options.formatY ? { callback: (value) => options.formatY!(Number(value)) } : {},
        grid: {},
      },
    },
    plugins: {
      // A legend entry for a series with no points (val_loss without validation) promises what is not there.
      legend: {
        position: 'bottom',
        labels: { boxWidth: 12, boxHeight: 2, filter: (item, data) => (data.datasets[item.datasetIndex ?? -1]?.data.length ?? 0) > 0 },
      },
      tooltip: {
        callbacks: {
          label: (item) => `${item.dataset.label}: ${options.formatY ? options.formatY(item.parsed.y ?? 0) : (item.parsed.y ?? 0).toFixed(4)}`,
        },
      },
    },
  };
  return { type: 'line' as const, data: { datasets }, options: chartOptions };
}
