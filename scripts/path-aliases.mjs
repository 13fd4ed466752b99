import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The import aliases (`$shared/…`, `$engine/…`), read from the one place they are declared: the `paths`
 * of tsconfig.base.json, which tsc, svelte-check and tsx read themselves. Vite and Vitest get them from
 * here as `resolve.alias`: alias → absolute folder. Plain JavaScript, so the Vite and Vitest configs
 * load it as it is.
 * @param {string} root the repository's folder
 * @returns {Record<string, string>}
 */
export function pathAliases(root) {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  /** @type {Record<string, string>} */
  const aliases = {};
  for (const [pattern, [target]] of Object.entries(config.compilerOptions.paths ?? {})) {
    if (!pattern.endsWith('/*') || !target?.endsWith('/*')) throw new Error(`tsconfig.base.json: paths "${pattern}" is not of the form "$name/*": ["./folder/*"]`);
    aliases[pattern.slice(0, -2)] = path.resolve(root, target.slice(0, -2));
  }
  return aliases;
}
