import path from 'node:path';
import type { FromWorker, WorkerHandle } from '$engine/training/protocol';
import { spawnTrainingWorker } from '$engine/training/spawn-worker';
import { REPO_ROOT } from './datasets';

const LOADER = path.join(REPO_ROOT, 'tests/helpers/ts-worker.mjs');
const ENTRY = path.join(REPO_ROOT, 'src/engine/training/worker.ts');

/** A real training worker (run from the TypeScript source) and every message it has sent and not yet been taken. */
export interface TestWorker {
  worker: WorkerHandle;
  /** Messages received and not yet taken by next(); a test may read or clear it. */
  inbox: FromWorker[];
  /** Resolves with the first message of `type`, received or still to come, and takes it from the inbox. */
  next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>>;
}

/**
 * With `failFast`, next() throws when a 'failed' message is in the inbox: a test that waits for something
 * else then says why the worker gave up rather than timing out.
 */
export function spawnTestWorker(options: { failFast?: boolean } = {}): TestWorker {
  const worker = spawnTrainingWorker(LOADER, {}, [ENTRY]);
  const inbox: FromWorker[] = [];
  let waiters: (() => void)[] = [];
  worker.on('message', (message) => {
    inbox.push(message);
    const wake = waiters;
    waiters = [];
    wake.forEach((w) => w());
  });
  const next: TestWorker['next'] = async (type) => {
    for (;;) {
      const failed = options.failFast ? inbox.find((m) => m.type === 'failed') : undefined;
      if (failed) throw new Error(`the worker failed: ${JSON.stringify(failed).slice(0, 300)}`);
      const index = inbox.findIndex((m) => m.type === type);
      if (index >= 0) return inbox.splice(index, 1)[0] as Extract<FromWorker, { type: typeof type }>;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { worker, inbox, next };
}
