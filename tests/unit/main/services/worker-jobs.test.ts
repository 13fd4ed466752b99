import { describe, expect, it } from 'vitest';
import type { EvaluationAnswer, EvaluationJob } from '$engine/evaluation/jobs';
import { catalogDescriptor } from '$shared/datasets/descriptor';
import { JobCancelledError, WorkerJobs, type WorkerJob } from '$main/services/worker-jobs';

const job = (requestId: string): EvaluationJob => ({
  type: 'evaluate',
  requestId,
  dataset: catalogDescriptor('mnist', '/data/mnist'),
  model: { id: 'm', files: { modelJson: { modelTopology: {}, weightsManifest: [] }, weights: new ArrayBuffer(0), metadata: {} as never } },
});

const answer: EvaluationAnswer = {
  type: 'evaluate',
  loss: 0.1,
  accuracy: 0.9,
  probabilities: new Float32Array([0.25, 0.75]),
  labels: new Uint8Array([1]),
  count: 1,
  seconds: 0.5,
};

/** A WorkerJobs with one job sent, what was sent, and the progress it relayed. */
function started(requestId = 'r1') {
  const jobs = new WorkerJobs();
  const sent: WorkerJob[] = [];
  const progress: [number, number][] = [];
  const result = jobs.run(job(requestId), (j) => sent.push(j), (done, total) => progress.push([done, total]));
  return { jobs, sent, progress, result };
}

describe('WorkerJobs', () => {
  it('sends the job, relays its progress, and resolves with its job-done answer', async () => {
    const { jobs, sent, progress, result } = started();
    expect(sent).toEqual([job('r1')]);
    expect(jobs.active).toEqual(['r1']);
    jobs.handle({ type: 'job-progress', requestId: 'r1', done: 1000, total: 10_000 });
    jobs.handle({ type: 'job-progress', requestId: 'r1', done: 10_000, total: 10_000 });
    expect(progress).toEqual([
      [1000, 10_000],
      [10_000, 10_000],
    ]);
    jobs.handle({ type: 'job-done', requestId: 'r1', answer });
    await expect(result).resolves.toBe(answer);
    expect(jobs.active).toEqual([]);
  });

  it('rejects a cancelled job with JobCancelledError', async () => {
    const { jobs, result } = started();
    jobs.handle({ type: 'job-failed', requestId: 'r1', message: 'The evaluation was cancelled.', cancelled: true });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobCancelledError);
    expect(jobs.active).toEqual([]);
  });

  it('rejects a failed job with the worker message, not as a cancel', async () => {
    const { jobs, result } = started();
    jobs.handle({ type: 'job-failed', requestId: 'r1', message: 'unknown robustness variant "melt"', cancelled: false });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(JobCancelledError);
    expect((error as Error).message).toBe('unknown robustness variant "melt"');
  });

  it('ignores messages for request ids it does not know, and for jobs already settled', async () => {
    const { jobs, progress, result } = started();
    jobs.handle({ type: 'job-progress', requestId: 'other', done: 1, total: 2 });
    jobs.handle({ type: 'job-done', requestId: 'other', answer });
    jobs.handle({ type: 'job-failed', requestId: 'other', message: 'x', cancelled: false });
    expect(progress).toEqual([]);
    expect(jobs.active).toEqual(['r1']);
    jobs.handle({ type: 'job-done', requestId: 'r1', answer });
    // A late progress or failure for the settled job changes nothing.
    jobs.handle({ type: 'job-progress', requestId: 'r1', done: 5, total: 5 });
    jobs.handle({ type: 'job-failed', requestId: 'r1', message: 'late', cancelled: false });
    await expect(result).resolves.toBe(answer);
    expect(progress).toEqual([]);
  });

  it('keeps jobs apart by request id', async () => {
    const jobs = new WorkerJobs();
    const first = jobs.run(job('a'), () => {}, () => {});
    const second = jobs.run(job('b'), () => {}, () => {});
    expect(jobs.active).toEqual(['a', 'b']);
    jobs.handle({ type: 'job-failed', requestId: 'b', message: 'b broke', cancelled: false });
    jobs.handle({ type: 'job-done', requestId: 'a', answer });
    await expect(first).resolves.toBe(answer);
    await expect(second).rejects.toThrow('b broke');
  });

  it('failAll rejects every pending job with the reason, and forgets them', async () => {
    const jobs = new WorkerJobs();
    const first = jobs.run(job('a'), () => {}, () => {});
    const second = jobs.run(job('b'), () => {}, () => {});
    jobs.failAll('The training process exited (code 1).');
    await expect(first).rejects.toThrow('The training process exited (code 1).');
    await expect(second).rejects.toThrow('The training process exited (code 1).');
    expect(jobs.active).toEqual([]);
    // An answer that arrives after is for nobody.
    jobs.handle({ type: 'job-done', requestId: 'a', answer });
  });

  it('forgets a job whose sending failed, so nothing later cancels it', async () => {
    const jobs = new WorkerJobs();
    const run = jobs.run({ type: 'evaluate', requestId: 'e1' } as EvaluationJob, () => {
      throw new Error('DataCloneError');
    }, () => {});
    await expect(run).rejects.toThrow('DataCloneError');
    expect(jobs.active).toEqual([]);
  });
});
