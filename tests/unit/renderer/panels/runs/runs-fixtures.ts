import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { RUN_FORMAT, type RunRecord } from '$shared/runs/run-record';

/** A finished run of two epochs; `change` edits its spec, `record` anything else. */
export function runRecord(id: string, change: Partial<ModelSpec> = {}, record: Partial<RunRecord> = {}): RunRecord {
  return {
    format: RUN_FORMAT,
    version: 1,
    id,
    kind: 'train',
    sessionId: `session-${id}`,
    continuedFrom: null,
    spec: { ...DEFAULT_SPEC, epochs: 2, ...change },
    datasetId: 'mnist',
    backend: 'wasm',
    appVersion: '1.0.0',
    startedAt: `2026-12-01T10:00:0${id.length % 10}Z`,
    finishedAt: '2026-12-01T10:01:00Z',
    durationSeconds: 12.5,
    epochsPlanned: 2,
    outcome: 'completed',
    error: null,
    history: [0, 1].map((epoch) => ({
      epoch,
      loss: 1 - epoch / 4,
      accuracy: 0.8 + epoch / 20,
      valLoss: 1.1 - epoch / 4,
      valAccuracy: 0.78 + epoch / 20,
      seconds: 5,
      samplesPerSecond: 1000,
      samples: 5000,
      complete: true,
    })),
    final: { testAccuracy: 0.9, testLoss: 0.3, epochsDone: 2 },
    savedModel: null,
    ...record,
  };
}
