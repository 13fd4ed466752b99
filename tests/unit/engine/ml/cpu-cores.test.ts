import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { countCores, MAX_WASM_THREADS, physicalCores, requestedThreads } from '$engine/ml/cpu-cores';

const cpu = (processor: number, physical: number, core: number): string =>
  `processor\t: ${processor}\nphysical id\t: ${physical}\nsiblings\t: 4\ncore id\t\t: ${core}\ncpu cores\t: 2\n`;

describe('countCores', () => {
  it('counts hyperthreads of one core once, and the same core id on two sockets twice', () => {
    const smt = [cpu(0, 0, 0), cpu(1, 0, 1), cpu(2, 0, 0), cpu(3, 0, 1)].join('\n');
    expect(countCores(smt)).toBe(2);
    const sockets = [cpu(0, 0, 0), cpu(1, 1, 0)].join('\n');
    expect(countCores(sockets)).toBe(2);
  });

  it('answers null when the file has no topology lines (so the caller guesses instead)', () => {
    expect(countCores('processor\t: 0\nBogoMIPS\t: 48.00\n\nprocessor\t: 1\nBogoMIPS\t: 48.00\n')).toBeNull();
    expect(countCores('')).toBeNull();
  });
});

describe('requestedThreads', () => {
  it('defaults to one thread per physical core, at most 8, and never more than Node may use', () => {
    // Unset, whatever this process's own MLP_LAB_WASM_THREADS (the test config sets one).
    const threads = requestedThreads('');
    expect(threads).toBe(Math.min(physicalCores(), MAX_WASM_THREADS));
    expect(threads).toBeGreaterThanOrEqual(1);
    expect(threads).toBeLessThanOrEqual(os.availableParallelism());
    expect(requestedThreads('  ')).toBe(threads);
  });

  it('takes MLP_LAB_WASM_THREADS=N as given, 1 included', () => {
    expect(requestedThreads('1')).toBe(1);
    expect(requestedThreads(' 12 ')).toBe(12);
  });

  it('refuses what is not a whole number from 1 to 64, naming the variable and the value', () => {
    for (const bad of ['0', '-2', '2.5', 'four', '65', '1e3']) {
      expect(() => requestedThreads(bad)).toThrow(`MLP_LAB_WASM_THREADS must be a whole number from 1 to 64 (got "${bad}")`);
    }
  });
});
