/** What the bench entry points share besides formatting: the repository root, and how a script ends. */
import path from 'node:path';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';

/** The repository (resources/ is at its top): the working directory of the children, the base of other paths. */
export const ROOT = path.dirname(RESOURCES_DIR);

/**
 * Exits with main's code (0 when it returns none) once it settles, or with 1 and the error on stderr,
 * prefixed with `name`.
 */
export function exitWhenDone(name: string, main: Promise<number | void>): void {
  main.then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
