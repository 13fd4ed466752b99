import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readWindowState, restoreWindow, trackWindowState, writeWindowState, type Rect, type TrackedWindow } from '$main/window/window-state';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-window-');
const limits = { width: 1100, height: 780, minWidth: 820, minHeight: 600 };
const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('window state', () => {
  it('opens at the default size, centred, the first time', () => {
    expect(restoreWindow(null, [laptop], laptop, limits)).toEqual({ bounds: { x: 410, y: 130, width: 1100, height: 780 }, maximized: false });
  });

  it('puts the window back where it was, maximised or not', () => {
    const saved = { bounds: { x: 2100, y: 50, width: 1400, height: 900 }, maximized: true };
    expect(restoreWindow(saved, [laptop, rightMonitor], laptop, limits)).toEqual(saved);
  });

  it('centres a window saved on a monitor that is gone, keeping its size', () => {
    const saved = { bounds: { x: 2100, y: 50, width: 1400, height: 900 }, maximized: false };
    expect(restoreWindow(saved, [laptop], laptop, limits)).toEqual({ bounds: { x: 260, y: 70, width: 1400, height: 900 }, maximized: false });
  });

  it('centres a window whose title bar is off every display (above the top, or a sliver at the edge)', () => {
    for (const place of [{ x: 100, y: -500 }, { x: 1900, y: 100 }, { x: -5000, y: -5000 }]) {
      const saved = { bounds: { ...place, width: 1000, height: 700 }, maximized: false };
      expect(restoreWindow(saved, [laptop], laptop, limits).bounds, JSON.stringify(place)).toEqual({ x: 460, y: 170, width: 1000, height: 700 });
    }
    // Partly off the right edge but its title bar can still be grabbed: kept.
    const partly = { bounds: { x: 1500, y: 100, width: 1000, height: 700 }, maximized: false };
    expect(restoreWindow(partly, [laptop], laptop, limits).bounds).toEqual(partly.bounds);
  });

  it('clamps a size larger than any display, or smaller than the minimum', () => {
    const huge = { bounds: { x: 0, y: 0, width: 9000, height: 9000 }, maximized: false };
    expect(restoreWindow(huge, [laptop], laptop, limits).bounds).toMatchObject({ width: 1920, height: 1040 });
    const tiny = { bounds: { x: 10, y: 10, width: 50, height: 50 }, maximized: false };
    expect(restoreWindow(tiny, [laptop], laptop, limits).bounds).toMatchObject({ x: 10, y: 10, width: 820, height: 600 });
  });

  it('reads back what it wrote, and treats a damaged, oversized or non-regular file as none', async () => {
    const dir = await newDir();
    const file = path.join(dir, 'window-state.json');
    expect(await readWindowState(file)).toBeNull();
    const state = { bounds: { x: -1200, y: 40, width: 1000, height: 700 }, maximized: false };
    await writeWindowState(file, state);
    expect(await readWindowState(file)).toEqual(state);
    await writeFile(file, '{"bounds":{"x":"a"');
    expect(await readWindowState(file)).toBeNull();
    await writeFile(file, JSON.stringify({ bounds: { x: 1e9, y: 0, width: 10, height: 10 }, maximized: false }));
    expect(await readWindowState(file)).toBeNull();
    await writeFile(file, ' '.repeat(10_000));
    expect(await readWindowState(file)).toBeNull();
    const folder = path.join(dir, 'folder.json');
    await mkdir(folder);
    expect(await readWindowState(folder)).toBeNull();
    const link = path.join(dir, 'zero.json');
    await symlink('/dev/zero', link);
    expect(await readWindowState(link)).toBeNull();
  });

  it('saves once a move settles and at once on close, and hands a failed write to the log', async () => {
    vi.useFakeTimers();
    try {
      const listeners = new Map<string, () => void>();
      let bounds: Rect = { x: 1, y: 2, width: 900, height: 700 };
      const window: TrackedWindow = {
        on: (event, listener) => listeners.set(event, listener),
        getNormalBounds: () => bounds,
        isMaximized: () => false,
      };
      const saved: unknown[] = [];
      const errors: unknown[] = [];
      let fail = false;
      trackWindowState(window, async (state) => {
        if (fail) throw new Error('disk full');
        saved.push(state);
      }, (error) => errors.push(error), 500);
      listeners.get('move')!();
      bounds = { ...bounds, x: 300 };
      listeners.get('move')!();
      expect(saved).toEqual([]);
      await vi.advanceTimersByTimeAsync(500);
      expect(saved).toEqual([{ bounds: { x: 300, y: 2, width: 900, height: 700 }, maximized: false }]);
      fail = true;
      listeners.get('close')!();
      await vi.advanceTimersByTimeAsync(0);
      expect(errors).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
