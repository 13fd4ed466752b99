import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '$tests/helpers/datasets';
import { importSpecifiers, resolveSpecifier, sourceFiles } from '$tests/helpers/imports';

/** How many folders a relative specifier climbs: '../../x' climbs two. */
const climbs = (specifier: string): number => /^(?:\.\.\/)*/.exec(specifier)![0].length / 3;

describe('import paths (docs/architecture.md, "Import paths")', () => {
  it('counts climbs, and resolves an alias to the folder tsconfig.base.json names', () => {
    expect([climbs('./x'), climbs('../x'), climbs('../../x'), climbs('../../../x'), climbs('$shared/x')]).toEqual([0, 1, 2, 3, 0]);
    expect(resolveSpecifier(path.join(REPO_ROOT, 'tests/any.ts'), '$shared/model-input')).toBe(path.join(REPO_ROOT, 'src/shared/model-input.ts'));
    expect(resolveSpecifier(path.join(REPO_ROOT, 'tests/any.ts'), '$renderer/App.svelte')).toBe(path.join(REPO_ROOT, 'src/renderer/src/App.svelte'));
  });

  it('has no import in src/ or tests/ that climbs more than two folders: an alias goes there', () => {
    const deep: string[] = [];
    for (const dir of ['src', 'tests']) {
      for (const file of sourceFiles(path.join(REPO_ROOT, dir))) {
        for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
          if (climbs(specifier) > 2) deep.push(`${path.relative(REPO_ROOT, file)} → ${specifier}`);
        }
      }
    }
    expect(deep).toEqual([]);
  });

  it('has every aliased import lead to a file that is there', () => {
    const missing: string[] = [];
    for (const dir of ['src', 'tests']) {
      for (const file of sourceFiles(path.join(REPO_ROOT, dir))) {
        for (const specifier of importSpecifiers(readFileSync(file, 'utf8')).filter((s) => s.startsWith('$'))) {
          if (!statSync(resolveSpecifier(file, specifier), { throwIfNoEntry: false })?.isFile()) missing.push(`${path.relative(REPO_ROOT, file)} → ${specifier}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
