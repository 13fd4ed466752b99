import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '$tests/helpers/datasets';
import { sourceFiles } from '$tests/helpers/imports';

/** Lines in a file, as `wc -l` counts them. */
const lines = (file: string): number => readFileSync(file, 'utf8').split('\n').length - 1;

// Why: a file past these sizes had started doing several jobs (docs/architecture.md); the house (#20)
// split them, and these keep them split.
describe('file sizes', () => {
  it('has no .ts or .svelte file in src/ over 300 lines', () => {
    const long = sourceFiles(path.join(REPO_ROOT, 'src'))
      .map((file) => ({ file: path.relative(REPO_ROOT, file), lines: lines(file) }))
      .filter((entry) => entry.lines > 300);
    expect(long).toEqual([]);
  });

  it('keeps TrainingService, which holds only a run\'s state, under 200 lines', () => {
    expect(lines(path.join(REPO_ROOT, 'src/main/services/training-service.ts'))).toBeLessThan(200);
  });
});
