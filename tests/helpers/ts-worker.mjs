// Runs a TypeScript worker under tsx: Node 20 workers ignore `--import` in execArgv, so the loader
// is registered here, in the worker thread, before the real entry (argv[2]) is imported. The repo's
// tsconfig is named outright, so its path aliases ($shared/…) resolve whatever the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import(process.argv[2]);
