import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathAliases } from '../../scripts/path-aliases.mjs';

/**
 * Every module specifier a source file names: static imports and re-exports (type-only too, since they
 * still tie one module to another), dynamic import() with a literal, require() and vi.mock().
 */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require|vi\.mock)\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The .ts and .svelte files under dir, as absolute paths. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|svelte)$/.test(name)) out.push(full);
  }
  return out;
}

const EXTENSIONS = ['', '.ts', '.svelte.ts', '.d.ts', '.svelte', '/index.ts'];

/** The path aliases of tsconfig.base.json ($shared → src/shared, …). */
const ALIASES = Object.entries(pathAliases(path.resolve(import.meta.dirname, '../..')));

/** Where a relative or aliased specifier leads (absolute path), or the bare package name for anything else. */
export function resolveSpecifier(fromFile: string, specifier: string): string {
  const alias = ALIASES.find(([name]) => specifier.startsWith(`${name}/`));
  if (!alias && !specifier.startsWith('.')) return specifier;
  const base = alias ? path.join(alias[1], specifier.slice(alias[0].length + 1)) : path.resolve(path.dirname(fromFile), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return base;
}

/** file → the files and packages it imports. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => [file, importSpecifiers(readFileSync(file, 'utf8')).map((s) => resolveSpecifier(file, s))]),
  );
}

/** The import cycles among the graph's own files, each as the list of files around it. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}
