import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/datasets';
import { findCycles, importGraph, importSpecifiers, sourceFiles } from '../../helpers/imports';

const SRC = path.join(REPO_ROOT, 'src');
const rel = (file: string) => path.relative(REPO_ROOT, file);

/** Imports from `layer` that reach a forbidden package or folder, as "file → target". */
function violations(layer: string, forbidden: { packages: RegExp; dirs: string[] }): string[] {
  const found: string[] = [];
  for (const [file, targets] of importGraph(sourceFiles(path.join(SRC, layer)))) {
    for (const target of targets) {
      const isPath = path.isAbsolute(target);
      const bad = isPath
        ? forbidden.dirs.some((dir) => target.startsWith(path.join(SRC, dir) + path.sep))
        : forbidden.packages.test(target);
      if (bad) found.push(`${rel(file)} → ${isPath ? rel(target) : target}`);
    }
  }
  return found;
}

describe('module boundaries (docs/architecture.md)', () => {
  it('finds every kind of import the rules below rely on', () => {
    const source = [
      "import { app } from 'electron';",
      "import type { Api } from '../shared/ipc/contract';",
      "export { x } from './x';",
      "import './side-effect.css';",
      "const m = await import('./lazy');",
      "vi.mock('node:fs');",
    ].join('\n');
    expect(importSpecifiers(source).sort()).toEqual(
      ['../shared/ipc/contract', './lazy', './side-effect.css', './x', 'electron', 'node:fs'].sort(),
    );
  });

  it('keeps the engine free of Electron, the window, the preload and the IPC layer', () => {
    expect(
      violations('engine', { packages: /^electron(\/|$)/, dirs: ['main', 'renderer', 'preload', 'shared/ipc'] }),
    ).toEqual([]);
  });

  it('keeps src/shared free of every process: it is imported by all of them', () => {
    expect(
      violations('shared', { packages: /^(electron|node:|@tensorflow\/|svelte)/, dirs: ['main', 'engine', 'renderer', 'preload'] }),
    ).toEqual([]);
  });

  it('lets only the IPC contract import the channel tables, and keeps domain types out of it', () => {
    // The domain modules must not lean on the contract: it imports them, never the other way round.
    const domain = sourceFiles(path.join(SRC, 'shared')).filter((f) => !f.includes(`${path.sep}ipc${path.sep}`));
    const reachingIpc = [...importGraph(domain)].flatMap(([file, targets]) =>
      targets.filter((t) => t.startsWith(path.join(SRC, 'shared', 'ipc'))).map((t) => `${rel(file)} → ${rel(t)}`),
    );
    expect(reachingIpc).toEqual([]);
  });

  it('keeps the renderer to the shared modules: no main, engine, preload code or Node built-ins', () => {
    expect(
      violations('renderer', { packages: /^(electron|node:|@tensorflow\/tfjs(-node|-backend-wasm)?$)/, dirs: ['main', 'engine', 'preload'] }),
    ).toEqual([]);
  });

  it('keeps each panel to itself: what two panels share lives in app/, components/, lib/ or charts/', () => {
    const panels = path.join(SRC, 'renderer', 'src', 'panels');
    const crossing: string[] = [];
    for (const [file, targets] of importGraph(sourceFiles(panels))) {
      if (path.basename(file) === 'registry.ts') continue;
      const own = path.relative(panels, file).split(path.sep)[0];
      for (const target of targets) {
        if (!target.startsWith(panels + path.sep)) continue;
        if (path.relative(panels, target).split(path.sep)[0] !== own) crossing.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    expect(crossing).toEqual([]);
  });

  it('keeps raw IPC in two files: the ipcMain wrapper and the preload', () => {
    const uses = (pattern: RegExp) =>
      sourceFiles(SRC)
        .filter((file) => pattern.test(readFileSync(file, 'utf8')))
        .map(rel);
    // Main's entry may hand ipcMain to the wrapper, but only the wrapper calls it.
    expect(uses(/\bipcMain\s*\.\s*\w+/)).toEqual(['src/main/ipc/register-ipc.ts']);
    expect(uses(/\bipcRenderer\b/)).toEqual(['src/preload/index.ts']);
  });

  it('has no import cycles in src', () => {
    expect(findCycles(importGraph(sourceFiles(SRC))).map((cycle) => cycle.map(rel).join(' → '))).toEqual([]);
  });
});
