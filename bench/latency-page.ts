/**
 * The in-page side of `npm run bench:latency` (latency-bench.ts): functions run in the renderer through
 * page.evaluate. Playwright serialises them, so they use nothing from this module or any other; they are
 * typed loosely because this file is checked without the DOM library (tsconfig.node.json).
 */

/** The renderer's User Timing measures of one recognition, read back after each stroke. */
export const MEASURE_NAMES = ['mlp:preprocess', 'mlp:inference', 'mlp:recognize'];

interface PageEvent {
  timeStamp: number;
}
interface PageElement {
  addEventListener(type: string, listener: (event: PageEvent) => void, options: { capture: boolean }): void;
  closest(selector: string): PageElement | null;
}
interface RenderRecord {
  /** document.timeline.currentTime at the change: the start of the frame that made it. */
  frameAt: number;
  /** The MutationObserver saw the bars or headline change. */
  mutatedAt: number;
  /** A task queued then ran: the main thread had produced the frame with the change. */
  renderedAt: number;
}
/** A PerformanceEventTiming for a pointer-up: from the event's timeStamp to the next paint presented. */
interface EventTimingRecord {
  start: number;
  duration: number;
}
interface PointerRecord {
  /** event.timeStamp: when the input event was created. */
  at: number;
  /** performance.now() in the capture listener, just before the app's own handler. */
  handledAt: number;
}
export interface Recorder {
  moves: PointerRecord[];
  ups: PointerRecord[];
  renders: RenderRecord[];
  upTimings: EventTimingRecord[];
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; timeline: { currentTime: unknown } };
  requestAnimationFrame(callback: (time: number) => void): number;
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: Record<string, boolean>): void };
  PerformanceObserver: new (callback: (list: { getEntries(): { name: string; startTime: number; duration: number }[] }) => void) => {
    observe(options: { type: string; durationThreshold: number }): void;
  };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(message: unknown): void } };
  api: { getActiveModel(): Promise<ModelInfoPayload> };
  __latency?: Recorder;
}
interface ModelInfoPayload {
  metadata: { name: string; datasetId: string; spec: { hiddenLayers: { units: number; activation: string }[] }; metrics: { testAccuracy?: number } };
  modelJson: { weightsManifest: { weights: { shape: number[] }[] }[] };
}
export interface Measure {
  start: number;
  duration: number;
}

export function installRecorder(): void {
  const w = globalThis as unknown as PageGlobals;
  const q = (id: string): PageElement => {
    const element = w.document.querySelector(`[data-testid="${id}"]`);
    if (!element) throw new Error(`no [data-testid="${id}"] in the page`);
    return element;
  };
  w.__latency = { moves: [], ups: [], renders: [], upTimings: [] };
  const canvas = q('draw-canvas');
  const listen = (type: string, into: () => PointerRecord[]): void =>
    canvas.addEventListener(type, (event) => void into().push({ at: event.timeStamp, handledAt: performance.now() }), { capture: true });
  listen('pointermove', () => w.__latency!.moves);
  listen('pointerup', () => w.__latency!.ups);
  const observer = new w.MutationObserver(() => {
    const record: RenderRecord = { frameAt: Number(w.document.timeline.currentTime), mutatedAt: performance.now(), renderedAt: NaN };
    w.__latency!.renders.push(record);
    const channel = new w.MessageChannel();
    channel.port1.onmessage = () => {
      record.renderedAt = performance.now();
      channel.port1.close();
    };
    channel.port2.postMessage(0);
  });
  const options = { subtree: true, childList: true, attributes: true, characterData: true };
  // Only the headline and the bars: the polite live region also changes on pointer-up, not a prediction.
  observer.observe(q('top-prediction'), options);
  observer.observe(q('confidence-bar-0').closest('ol')!, options);
  new w.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'pointerup') w.__latency!.upTimings.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'event', durationThreshold: 16 });
}

/** Empties the recorder and the renderer's measures, so the next stroke starts from nothing. */
export function resetRecorder(names: string[]): void {
  const w = globalThis as unknown as PageGlobals;
  w.__latency = { moves: [], ups: [], renders: [], upTimings: [] };
  for (const name of names) performance.clearMeasures(name);
}

/** Waits two frames and a task, so a pending paint, its bars and its records are all done. */
export function settle(): Promise<void> {
  const w = globalThis as unknown as PageGlobals;
  return new Promise((resolve) => w.requestAnimationFrame(() => w.requestAnimationFrame(() => void setTimeout(resolve, 30))));
}

/** The stroke's records and the renderer's measures since the last reset (which this also does). */
export function takeRecords(names: string[]): { recorder: Recorder; measures: Measure[][] } {
  const w = globalThis as unknown as PageGlobals;
  const recorder = w.__latency!;
  const measures = names.map((name) =>
    performance.getEntriesByName(name, 'measure').map((e) => ({ start: e.startTime, duration: e.duration })),
  );
  w.__latency = { moves: [], ups: [], renders: [], upTimings: [] };
  for (const name of names) performance.clearMeasures(name);
  return { recorder, measures };
}

/** requestAnimationFrame intervals while nothing else happens: ~16.7 ms unless frames are throttled. */
export function frameIntervals(count: number): Promise<number[]> {
  const w = globalThis as unknown as PageGlobals;
  return new Promise((resolve) => {
    const times: number[] = [];
    const tick = (time: number): void => {
      times.push(time);
      if (times.length > count) resolve(times.slice(1).map((t, i) => t - times[i]));
      else w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
}

export interface ModelInfo {
  name: string;
  dataset: string;
  layers: string;
  params: number;
  accuracy: number | null;
}

export async function modelInfo(): Promise<ModelInfo> {
  const w = globalThis as unknown as PageGlobals;
  const { metadata, modelJson } = await w.api.getActiveModel();
  const shapes = modelJson.weightsManifest.flatMap((group) => group.weights.map((weight) => weight.shape));
  return {
    name: metadata.name,
    dataset: metadata.datasetId,
    layers: ['784', ...metadata.spec.hiddenLayers.map((l) => `${l.units} ${l.activation}`), '10 softmax'].join(' → '),
    params: shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0),
    accuracy: metadata.metrics.testAccuracy ?? null,
  };
}
