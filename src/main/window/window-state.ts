import { z } from 'zod';
import { readRegularFile } from '$engine/data/read-regular-file';
import { writeAtomically } from '../services/atomic-write';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is kept between launches, in <userData>/window-state.json. */
export interface WindowState {
  /** The normal (not maximised) bounds, so a maximised window un-maximises to where it was. */
  bounds: Rect;
  maximized: boolean;
}

const coordinate = z.number().int().min(-100_000).max(100_000);
const size = z.number().int().min(1).max(100_000);
const stateSchema = z.object({
  bounds: z.object({ x: coordinate, y: coordinate, width: size, height: size }),
  maximized: z.boolean(),
});

export const WINDOW_STATE_FILE = 'window-state.json';
const MAX_BYTES = 4096;

/** The saved state, or null when there is none or it is not ours (damaged, too large, not a file). */
export async function readWindowState(file: string): Promise<WindowState | null> {
  try {
    const bytes = await readRegularFile(file, { expected: 'a window state file', maxBytes: MAX_BYTES });
    const parsed = stateSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeWindowState(file: string, state: WindowState): Promise<void> {
  return writeAtomically(file, `${JSON.stringify(state)}\n`);
}

export interface SizeLimits {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** How much of the title bar must lie on a display for the saved place to be kept: enough to grab it. */
const MIN_VISIBLE = { width: 120, height: 40 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where the window opens. The saved size, clamped to the minimum and to the largest display; the saved
 * place only when the top strip of the window (its title bar) is on a display that is still attached,
 * else centred on the primary display: a monitor unplugged since, or a resolution lowered, must not
 * open the window where nobody can reach it.
 */
export function restoreWindow(
  saved: WindowState | null,
  displays: readonly Rect[],
  primary: Rect,
  limits: SizeLimits,
): { bounds: Rect; maximized: boolean } {
  const largest = displays.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a), primary);
  const width = Math.max(limits.minWidth, Math.min(saved?.bounds.width ?? limits.width, largest.width));
  const height = Math.max(limits.minHeight, Math.min(saved?.bounds.height ?? limits.height, largest.height));
  const centred = {
    x: Math.round(primary.x + Math.max(0, (primary.width - width) / 2)),
    y: Math.round(primary.y + Math.max(0, (primary.height - height) / 2)),
    width,
    height,
  };
  if (!saved) return { bounds: centred, maximized: false };
  const titleBar: Rect = { x: saved.bounds.x, y: saved.bounds.y, width, height: MIN_VISIBLE.height };
  const reachable = displays.some((display) => {
    const seen = overlap(titleBar, display);
    return seen.width >= Math.min(MIN_VISIBLE.width, width) && seen.height >= MIN_VISIBLE.height;
  });
  return { bounds: reachable ? { x: saved.bounds.x, y: saved.bounds.y, width, height } : centred, maximized: saved.maximized };
}

/** The part of a BrowserWindow that tracking reads; tests hand in a fake. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
}

/**
 * Saves the window's state a moment after it stops moving or resizing, and at once when it closes.
 * Write failures are passed to `onError` (the error log), never thrown at the window.
 */
export function trackWindowState(
  window: TrackedWindow,
  save: (state: WindowState) => Promise<void>,
  onError: (error: unknown) => void,
  delayMs = 500,
): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const snapshot = (): WindowState => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  const flush = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    save(snapshot()).catch(onError);
  };
  const later = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, later);
  window.on('close', flush);
}
