/** The slowest a download may go, checked window by window, so that a trickle ends. */

export interface MinSpeed {
  bytesPerSecond: number;
  windowMs: number;
  now?: () => number;
}

/** Slower than this for a minute is not a download a user would wait for (26 MB at 1 KiB/s takes 7 hours). */
export const MIN_SPEED: MinSpeed = { bytesPerSecond: 1024, windowMs: 60_000 };

/**
 * A check to call with the bytes received at each chunk: a message once a whole window has passed
 * with fewer bytes than the minimum speed asks for, else null. Windows follow one another, each
 * starting where the last one ended.
 */
export function speedCheck(min: MinSpeed, startBytes: number): (received: number) => string | null {
  const now = min.now ?? Date.now;
  let windowStart = now();
  let windowBytes = startBytes;
  const needed = Math.ceil((min.bytesPerSecond * min.windowMs) / 1000);
  return (received) => {
    const t = now();
    if (t - windowStart < min.windowMs) return null;
    const got = received - windowBytes;
    if (got < needed) {
      return `too slow: ${got} bytes in ${Math.round((t - windowStart) / 1000)} s, below the ${min.bytesPerSecond} bytes a second a download needs`;
    }
    windowStart = t;
    windowBytes = received;
    return null;
  };
}
