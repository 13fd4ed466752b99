import { EventEmitter } from 'node:events';
import type { FromWorker, ToWorker, WorkerHandle } from '../../src/engine/training/protocol';

/** A training worker that records what main sends, and lets the test answer as the real one would. */
export class FakeWorker extends EventEmitter implements WorkerHandle {
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.sent.push(message);
  }
  reply(message: FromWorker): void {
    this.emit('message', message);
  }
  async terminate(): Promise<number> {
    this.terminated = true;
    return 0;
  }
}
