import { describe, expect, it } from 'vitest';
import { confusionCsv, reportCsv } from '$renderer/panels/gallery/export';
import { classificationReport } from '$shared/classification-report';

const confusion = [
  [1, 1, 0],
  [0, 1, 0],
  [1, 0, 1],
];

describe('CSV export', () => {
  it('writes the per-class report as scikit-learn lays it out', () => {
    const lines = reportCsv(classificationReport(confusion), ['zero', 'one', 'two']).trimEnd().split('\r\n');
    expect(lines[0]).toBe('class,precision,recall,f1-score,support');
    expect(lines[1]).toBe('zero,0.5000,0.5000,0.5000,2');
    expect(lines[4]).toBe('accuracy,,,0.6000,5');
    expect(lines[5]).toBe('macro avg,0.6667,0.6667,0.6111,5');
    expect(lines).toHaveLength(7);
  });

  it('writes the matrix with class names, quoting names that hold commas or quotes', () => {
    const csv = confusionCsv(confusion, ['T-shirt/top', 'Bag, small', 'say "hi"']);
    expect(csv.split('\r\n')[0]).toBe('true \\ predicted,T-shirt/top,"Bag, small","say ""hi"""');
    expect(csv.split('\r\n')[3]).toBe('"say ""hi""",1,0,1');
  });
});
