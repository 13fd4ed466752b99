import { describe, expect, it } from 'vitest';
import { bestPoint, keptEpoch, sweepCsv, sweepPoints, sweepsOf, xScaleOf } from '$renderer/panels/runs/sweep-points';
import { runRecord } from './runs-fixtures';

const tag = (index: number, lr: number, optimizer: string) => ({ id: 'sw', index, count: 4, axes: [{ setting: 'learningRate' as const, value: lr }, { setting: 'optimizer' as const, value: optimizer }] });

describe('sweep points', () => {
  const runs = [
    runRecord('b', {}, { sweep: tag(1, 0.01, 'adam'), final: { testAccuracy: 0.95, testLoss: 0.2, epochsDone: 2 }, note: '=SUM(A1)' }),
    runRecord('a', {}, { sweep: tag(0, 0.001, 'adam'), final: { testAccuracy: 0.92, testLoss: 0.3, epochsDone: 2 } }),
    runRecord('c', {}, { sweep: tag(2, 0.001, 'sgd'), outcome: 'diverged', final: null, error: 'NaN' }),
    runRecord('lone'),
  ];

  it("orders a sweep's runs by their place in it, with the scores of the epoch each kept", () => {
    const points = sweepPoints(runs, 'sw');
    expect(points.map((p) => [p.runId, p.value, p.series, p.testAccuracy, p.outcome])).toEqual([
      ['a', 0.001, 'adam', 0.92, 'completed'],
      ['b', 0.01, 'adam', 0.95, 'completed'],
      ['c', 0.001, 'sgd', null, 'diverged'],
    ]);
    expect(points[0]!.valAccuracy).toBe(runs[1]!.history[1]!.valAccuracy);
    expect(points[0]!.params).toBe(784 * 64 + 64 + 64 * 10 + 10);
    expect(bestPoint(points)?.runId).toBe('b');
    expect(bestPoint([])).toBeNull();
  });

  it("takes the best epoch's figures when early stopping restored its weights", () => {
    const run = runRecord('e', {}, { earlyStop: { stoppedEpoch: 1, bestEpoch: 0, monitor: 'val_loss', best: 1.1, restored: true, reason: 'x' } });
    expect(keptEpoch(run)?.epoch).toBe(0);
    expect(keptEpoch({ ...run, earlyStop: { ...run.earlyStop!, restored: false } })?.epoch).toBe(1);
  });

  it("lists sweeps from their records or, without one, from their runs' tags", () => {
    const [sweep] = sweepsOf(runs, []);
    expect(sweep).toMatchObject({ id: 'sw', runs: 3, planned: 4, state: 'unknown' });
    expect(xScaleOf(sweep!.axes)).toBe('log');
    expect(xScaleOf([{ setting: 'optimizer' }])).toBe('category');
    expect(xScaleOf([{ setting: 'units', layer: 0 }])).toBe('linear');
  });

  it('exports one CSV row per run, a note that looks like a formula defused', () => {
    const csv = sweepCsv(sweepPoints(runs, 'sw'), sweepsOf(runs, [])[0]!.axes).trimEnd().split('\r\n');
    expect(csv[0]).toBe('Learning rate,Optimizer,test_accuracy,val_accuracy,train_accuracy,seconds,parameters,epochs,outcome,stopped_early,run_id,note');
    expect(csv).toHaveLength(4);
    expect(csv[2]).toMatch(/^0\.01,adam,0\.9500,/);
    expect(csv[2]).toMatch(/,b,'=SUM\(A1\)$/);
    expect(csv[3]).toMatch(/^0\.001,sgd,,/);
  });
});
