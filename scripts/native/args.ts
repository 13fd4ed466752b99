import os from 'node:os';
import path from 'node:path';

export interface NativeInstallArgs {
  /** A TensorFlow CPU wheel to build from; null: pip downloads one into cacheDir (or reuses it). */
  wheel: string | null;
  /** Where a downloaded wheel is kept between runs. */
  cacheDir: string;
  /** Rebuild even when tfjs-node already loads. */
  force: boolean;
  help: boolean;
}

export class NativeUsageError extends Error {}

/** The wheel pip fetches: its C library exports the C API tfjs-node 4.22's binding calls. */
export const TENSORFLOW_WHEEL = 'tensorflow-cpu==2.21.0';

export const HELP = `npm run native:install -- [--wheel FILE] [--cache-dir DIR] [--force]

Builds @tensorflow/tfjs-node (native TensorFlow training) from a TensorFlow CPU wheel, for machines where
its own install cannot download libtensorflow (no internet, a proxy). Safe to run again: what is done
is not redone.

  --wheel FILE      build from this wheel (tensorflow_cpu-*.whl or tensorflow-*.whl, Linux x86_64)
                    instead of the one pip downloads (${TENSORFLOW_WHEEL})
  --cache-dir DIR   where a downloaded wheel is kept (default: $XDG_CACHE_HOME/mlp-lab or ~/.cache/mlp-lab)
  --force           rebuild even when tfjs-node already loads
  --help            this text

Needs python3 with pip (unless --wheel), make and a C++ compiler.`;

/** The default cache: XDG's when set to an absolute path, else ~/.cache. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'mlp-lab');
}

export function parseNativeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): NativeInstallArgs {
  const args: NativeInstallArgs = { wheel: null, cacheDir: defaultCacheDir(env), force: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new NativeUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--wheel': {
        const wheel = value();
        if (!wheel.endsWith('.whl')) throw new NativeUsageError(`--wheel must name a .whl file, not ${JSON.stringify(wheel.slice(0, 200))}`);
        args.wheel = path.resolve(wheel);
        break;
      }
      case '--cache-dir':
        args.cacheDir = path.resolve(value());
        break;
      case '--force':
        if (inline !== undefined) throw new NativeUsageError('--force takes no value');
        args.force = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new NativeUsageError(`unknown option ${JSON.stringify(arg.slice(0, 200))}`);
    }
  }
  return args;
}
