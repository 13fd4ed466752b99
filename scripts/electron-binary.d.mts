// Types for electron-binary.mjs, so the TypeScript tests call it as checked code.
export type Env = Record<string, string | undefined>;
export interface Located {
  binary: string;
  source: 'ELECTRON_EXEC_PATH' | 'ELECTRON_OVERRIDE_DIST_PATH' | 'dist';
}
export type Reason =
  | { type: 'exec-path' | 'override' | 'still-missing'; path: string }
  | { type: 'skipped' }
  | { type: 'timeout'; seconds: number }
  | { type: 'download-failed'; cause: string };
export type Decision = { kind: 'ready' } | { kind: 'download' } | { kind: 'missing'; reason: Reason };
export interface Target {
  platform: string;
  arch: string;
}

export declare function executableName(platform: string): string;
export declare function targetOf(env: Env, platform: string, arch: string): Target;
export declare function locateBinary(input: {
  env: Env;
  electronDir: string;
  pathTxt: string | undefined;
  platform: string;
}): Located;
export declare function decide(input: { located: Located; exists: boolean; pathTxt: string | undefined; env: Env }): Decision;
export declare function formatMissing(input: { version: string; target: Target; reason: Reason }): string;
export declare function wrap(text: string, width: number): string;
export declare function failureCause(stderr: string): string;
export declare function parseTimeout(value: string | undefined): number | undefined;
export declare const USAGE: string;
export declare function parseArgs(argv: readonly string[]): string[] | undefined;
