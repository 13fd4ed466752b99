import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ErrorLogOptions {
  /** A file past this many bytes is rotated before the next entry. */
  maxBytes?: number;
  /** How many rotated files are kept beside the current one (main.1.log … main.N.log). */
  keep?: number;
  now?: () => Date;
}

const ENTRY_MAX = 16 * 1024;

/**
 * Unhandled errors of the main process, in <userData>/logs/main.log, rotated by size. Writes are
 * synchronous: an uncaught exception may be the process's last act. A log that cannot be written is
 * not a second failure: the entry goes to stderr instead.
 */
export class ErrorLog {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #now: () => Date;

  constructor(readonly dir: string, options: ErrorLogOptions = {}) {
    this.file = path.join(dir, 'main.log');
    this.#maxBytes = options.maxBytes ?? 256 * 1024;
    this.#keep = options.keep ?? 3;
    this.#now = options.now ?? (() => new Date());
  }

  write(kind: string, error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    const entry = `[${this.#now().toISOString()}] ${kind}: ${text}`.slice(0, ENTRY_MAX) + '\n';
    try {
      mkdirSync(this.dir, { recursive: true });
      if (this.#size() + entry.length > this.#maxBytes) this.#rotate();
      appendFileSync(this.file, entry, { mode: 0o600 });
    } catch {
      process.stderr.write(entry);
    }
  }

  /** The last `lines` lines of the current file ('' when there is none). */
  tail(lines = 30): string {
    let text: string;
    try {
      const info = statSync(this.file);
      if (!info.isFile()) return '';
      text = readFileSync(this.file, 'utf8').slice(-this.#maxBytes);
    } catch {
      return '';
    }
    return text.split('\n').filter(Boolean).slice(-lines).join('\n');
  }

  #size(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  #rotate(): void {
    const numbered = (n: number): string => path.join(this.dir, `main.${n}.log`);
    rmSync(numbered(this.#keep), { force: true });
    for (let n = this.#keep - 1; n >= 1; n--) {
      try {
        renameSync(numbered(n), numbered(n + 1));
      } catch {
        // That one did not exist yet.
      }
    }
    renameSync(this.file, numbered(1));
  }
}

/** The part of `process` the log listens to; tests hand in an EventEmitter. */
export interface ErrorSource {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
}

/**
 * Sends the main process's unhandled errors to the log, then to `notify` (a message box once the app
 * is up). Electron's own handler would show a dialog and lose the stack; this keeps it.
 */
export function logUnhandledErrors(source: ErrorSource, log: Pick<ErrorLog, 'write'>, notify: (error: unknown) => void): void {
  source.on('uncaughtException', (error) => {
    log.write('uncaught exception', error);
    notify(error);
  });
  source.on('unhandledRejection', (error) => log.write('unhandled rejection', error));
}
