import { spawn } from 'node:child_process';
import { REPO_ROOT } from './datasets';

export interface ChildRun {
  /** null when the process was killed: by the timeout, or a signal. */
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript script in a process of its own under tsx, killed after timeoutMs: a test of "exits
 * by itself" asserts the code, so a hang fails instead of stalling the suite.
 */
export function runTsChild(script: string, env: Record<string, string | undefined>, timeoutMs: number, args: string[] = []): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stdout, stderr });
    });
  });
}

/** The last line of a child's stdout, parsed: the children print their result there as JSON. */
export function lastJsonLine<T>(run: ChildRun): T {
  const lines = run.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new Error(`no JSON result (exit ${run.code}, timed out ${run.timedOut}): ${run.stdout.slice(-500)}\n${run.stderr.slice(-2000)}`);
  }
}
