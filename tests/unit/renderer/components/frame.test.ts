import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frameCoalescer } from '$renderer/components/frame';

let callbacks: Map<number, FrameRequestCallback>;
beforeEach(() => {
  callbacks = new Map();
  let next = 1;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    callbacks.set(next, cb);
    return next++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => callbacks.delete(id));
});
afterEach(() => vi.unstubAllGlobals());
const runFrame = () => {
  const pending = [...callbacks.values()];
  callbacks.clear();
  pending.forEach((cb) => cb(0));
};

describe('frameCoalescer', () => {
  it('runs once per frame however often it is asked', () => {
    const run = vi.fn();
    const coalescer = frameCoalescer(run);
    coalescer.request();
    coalescer.request();
    expect(run).not.toHaveBeenCalled();
    runFrame();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('flushes a pending request at once, and only a pending one', () => {
    const run = vi.fn();
    const coalescer = frameCoalescer(run);
    coalescer.flush();
    expect(run).not.toHaveBeenCalled();
    coalescer.request();
    coalescer.flush();
    expect(run).toHaveBeenCalledTimes(1);
    runFrame();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('cancels a pending request', () => {
    const run = vi.fn();
    const coalescer = frameCoalescer(run);
    coalescer.request();
    coalescer.cancel();
    runFrame();
    expect(run).not.toHaveBeenCalled();
  });
});
