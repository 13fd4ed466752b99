// npm run native:install: builds @tensorflow/tfjs-node from a TensorFlow CPU wheel (see HELP).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP, NativeUsageError, parseNativeArgs, TENSORFLOW_WHEEL } from './native/args';
import { isLaidOut, layOut, wheelIdentity } from './native/layout';
import { cachedWheel, missingTools, nodeHeadersPrefix, run, step, tfjsNodeProblem } from './native/steps';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_DIR = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node');
const STEPS = 6;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseNativeArgs(argv);
  } catch (error) {
    if (!(error instanceof NativeUsageError)) throw error;
    console.error(`native:install: ${error.message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const started = performance.now();
  const before = await step(1, STEPS, 'checking whether tfjs-node already loads', async () => tfjsNodeProblem(ROOT));
  if (before === null && !args.force) {
    console.log('tfjs-node already loads and computes: nothing to do (--force rebuilds it).');
    return 0;
  }
  if (before !== null) console.log(`  not yet: ${before}`);
  const missing = missingTools();
  if (missing.length) throw new Error(`the build needs ${missing.join(', ')} on PATH (Debian: apt-get install g++ make python3)`);

  const wheel = await step(2, STEPS, args.wheel ? `checking ${args.wheel}` : `getting the ${TENSORFLOW_WHEEL} wheel`, async () => {
    if (args.wheel) {
      await wheelIdentity(args.wheel);
      return args.wheel;
    }
    const cached = cachedWheel(args.cacheDir);
    if (cached) {
      console.log(`  reusing ${cached}`);
      return cached;
    }
    await mkdir(args.cacheDir, { recursive: true });
    await run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--dest', args.cacheDir, TENSORFLOW_WHEEL]);
    const downloaded = cachedWheel(args.cacheDir);
    if (!downloaded) throw new Error(`pip reported success but left no ${TENSORFLOW_WHEEL} wheel in ${args.cacheDir}`);
    return downloaded;
  });

  await step(3, STEPS, 'installing the @tensorflow/tfjs-node package (its scripts later)', async () => {
    if (existsSync(path.join(PACKAGE_DIR, 'binding.gyp')) && existsSync(path.join(ROOT, 'node_modules', '@mapbox', 'node-pre-gyp'))) {
      console.log('  already there');
      return;
    }
    // The lockfile's version of the optional dependency npm skipped; nothing else changes, nothing is saved.
    await run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: ROOT });
    if (!existsSync(path.join(PACKAGE_DIR, 'binding.gyp'))) throw new Error(`npm install left no ${PACKAGE_DIR}: is @tensorflow/tfjs-node still in package.json?`);
  });

  const depsDir = path.join(PACKAGE_DIR, 'deps');
  await step(4, STEPS, `laying out libtensorflow from ${path.basename(wheel)}`, async () => {
    if (await isLaidOut(depsDir, await wheelIdentity(wheel))) {
      console.log('  already laid out from this wheel');
      return;
    }
    await layOut(wheel, depsDir);
  });

  await step(5, STEPS, 'building tfjs_binding.node (tfjs-node install script, node-gyp)', async () => {
    const prefix = nodeHeadersPrefix();
    if (!prefix) console.log('  no Node headers beside this Node: node-gyp will download them');
    // With deps/lib/libtensorflow.so.2.9.1 in place the install script downloads nothing; building from
    // source skips node-pre-gyp's attempt to fetch a prebuilt addon.
    const env = { ...process.env, npm_config_build_from_source: 'true', ...(prefix ? { npm_config_nodedir: prefix } : {}) };
    await run('npm', ['rebuild', '@tensorflow/tfjs-node', '--foreground-scripts'], { cwd: ROOT, env });
  });

  await step(6, STEPS, 'checking that tfjs-node loads and computes', async () => {
    const problem = tfjsNodeProblem(ROOT);
    if (problem) throw new Error(`tfjs-node was built but does not load: ${problem}`);
  });
  console.log(`tfjs-node is installed (${((performance.now() - started) / 1000).toFixed(0)} s in all). Training now chooses between it and wasm for each model.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`native:install failed: ${(error as Error).message ?? String(error)}`);
    process.exit(1);
  },
);
