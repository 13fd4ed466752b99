/**
 * Coalesces requests into one call per animation frame: pointer events can arrive several times a
 * frame, and repainting or re-running the network more often than the screen refreshes is wasted.
 */
export function frameCoalescer(run: () => void): { request: () => void; flush: () => void; cancel: () => void } {
  let frame = 0;
  return {
    request() {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        run();
      });
    },
    /** Runs a pending request now instead of at the next frame. */
    flush() {
      if (!frame) return;
      cancelAnimationFrame(frame);
      frame = 0;
      run();
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
