// Runs a TypeScript worker under tsx: Node 20 workers ignore `--import` in execArgv, so the loader
// is registered here, in the worker thread, before the real entry (argv[2]) is imported.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
