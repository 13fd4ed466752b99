import { describe, expect, it, vi } from 'vitest';
import type { EvaluationAnswer, EvaluationJob } from '$engine/evaluation/jobs';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { WorkerHost, type WorkerHostOptions } from '$main/services/worker-host';
import { JobCancelledError } from '$main/services/worker-jobs';
import { FakeWorker } from '$tests/helpers/fake-worker';

const backend = { active: 'wasm' as const, skipped: [], simd: true };
const job = (requestId: string): EvaluationJob =>
  ({ type: 'evaluate', requestId, dataset: catalogDescriptor('mnist', '/data/mnist'), model: { id: 'm', files: {} } }) as unknown as EvaluationJob;
const answer = { type: 'evaluate', loss: 0, accuracy: 1, probabilities: new Float32Array(0), labels: new Uint8Array(0), count: 0, seconds: 0 } as EvaluationAnswer;

function host(options: Partial<WorkerHostOptions> = {}) {
  const workers: FakeWorker[] = [];
  const calls: string[] = [];
  const welcome = { value: true };
  const worker = new WorkerHost({
    spawn: () => {
      const spawned = new FakeWorker();
      workers.push(spawned);
      return spawned;
    },
    admission: { assertJobMayRun: () => {}, jobStillWelcome: () => welcome.value },
    onReady: (report) => calls.push(`ready ${report.active}`),
    onHeard: () => calls.push('heard'),
    onMessage: (message) => calls.push(`message ${message.type}`),
    onCrash: (message, kind) => calls.push(`crash ${kind}: ${message}`),
    ...options,
  });
  return { worker, workers, calls, welcome };
}

describe('WorkerHost', () => {
  it('starts one worker, waits for ready, and routes job answers to their job and the rest to the run', async () => {
    const { worker, workers, calls } = host();
    const result = worker.runJob(job('j1'), () => {});
    expect(worker.alive).toBe(true);
    workers[0].reply({ type: 'ready', backend });
    await vi.waitFor(() => expect(workers[0].sent).toEqual([job('j1')]));
    expect(worker.hasJob('evaluate')).toBe(true);
    workers[0].reply({ type: 'epoch', runId: 'r', log: {} as never });
    workers[0].reply({ type: 'job-done', requestId: 'j1', answer });
    await expect(result).resolves.toBe(answer);
    expect(calls).toEqual(['ready wasm', 'heard', 'message epoch', 'heard']);
    await worker.ready();
    expect(workers).toHaveLength(1);
  });

  it('tears down once on a crash: its jobs fail, the worker is ended, the crash is told, and a new one starts next', async () => {
    const { worker, workers, calls } = host();
    const result = worker.runJob(job('j1'), () => {});
    workers[0].reply({ type: 'ready', backend });
    await vi.waitFor(() => expect(workers[0].sent).toHaveLength(1));
    workers[0].emit('error', Object.assign(new Error('heap'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
    await expect(result).rejects.toThrow('The training process ran out of memory.');
    expect(workers[0].terminated).toBe(true);
    expect(worker.alive).toBe(false);
    // The dead worker's last words and its exit are no one's business any more.
    workers[0].reply({ type: 'epoch', runId: 'r', log: {} as never });
    workers[0].emit('exit', 1);
    expect(calls).toEqual(['ready wasm', 'crash out-of-memory: The training process ran out of memory.']);
    void worker.ready();
    expect(workers).toHaveLength(2);
  });

  it('ends a worker that never says it is ready', async () => {
    const { worker, workers, calls } = host({ readyTimeoutMs: 10 });
    const ready = worker.ready();
    await vi.waitFor(() => expect(workers[0].terminated).toBe(true));
    expect(calls).toEqual(['crash worker-crashed: The training process did not start.']);
    workers[0].emit('exit', 1);
    await expect(ready).rejects.toThrow(/exited/);
  });

  it('fails its jobs on dispose without calling it a crash', async () => {
    const { worker, workers, calls } = host();
    const result = worker.runJob(job('j1'), () => {});
    workers[0].reply({ type: 'ready', backend });
    await vi.waitFor(() => expect(workers[0].sent).toHaveLength(1));
    await worker.dispose();
    await expect(result).rejects.toThrow('The training process was closed.');
    expect(workers[0].terminated).toBe(true);
    expect(calls).toEqual(['ready wasm']);
  });

  it('drops a job that was waiting for the worker when a cancel came, or when it is no longer welcome', async () => {
    const { worker, workers, welcome } = host();
    const cancelled = worker.runJob(job('j1'), () => {});
    worker.cancelJobs();
    workers[0].reply({ type: 'ready', backend });
    await expect(cancelled).rejects.toBeInstanceOf(JobCancelledError);
    welcome.value = false;
    await expect(worker.runJob(job('j2'), () => {})).rejects.toBeInstanceOf(JobCancelledError);
    expect(workers[0].sent).toEqual([]);
  });

  it('refuses a job the admission refuses, before any worker starts', async () => {
    const { worker, workers } = host({ admission: { assertJobMayRun: () => { throw new Error('A model is training'); }, jobStillWelcome: () => true } });
    await expect(worker.runJob(job('j1'), () => {})).rejects.toThrow('A model is training');
    expect(workers).toEqual([]);
  });

  it('asks the worker for its tensor memory: null with no worker, the answer by request id, null if it goes, an error if silent', async () => {
    const { worker, workers } = host();
    expect(await worker.memory()).toBeNull();
    expect(workers).toHaveLength(0);
    const memory = { numTensors: 14, numDataBuffers: 14, numBytes: 1024 };
    void worker.ready();
    workers[0].reply({ type: 'ready', backend });
    const asked = worker.memory();
    await vi.waitFor(() => expect(workers[0].sent).toContainEqual({ type: 'diagnostics', requestId: expect.any(String) }));
    const request = workers[0].sent.at(-1) as { requestId: string };
    // Another request's answer is not this one's.
    workers[0].reply({ type: 'diagnostics', requestId: 'someone-else', memory: { ...memory, numTensors: 99 } });
    workers[0].reply({ type: 'diagnostics', requestId: request.requestId, memory });
    await expect(asked).resolves.toEqual(memory);

    const gone = worker.memory();
    await vi.waitFor(() => expect(workers[0].sent.filter((m) => m.type === 'diagnostics')).toHaveLength(2));
    await worker.dispose();
    await expect(gone).resolves.toBeNull();

    void worker.ready();
    workers[1].reply({ type: 'ready', backend });
    await expect(worker.memory(5)).rejects.toThrow('did not answer');
  });
});
