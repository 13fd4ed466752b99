import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FILE_TYPES, fileTypeOf, type FileTypeKey } from '$shared/file-types';

/** At most this many files are taken from one launch or drop on the dock; the rest are named and left. */
export const MAX_OPEN_FILES = 16;
/** A path longer than this is not a file anyone picked. */
const MAX_PATH = 4096;

/**
 * The files named on a command line (a first launch, or a second one handed over by the single-instance
 * lock): arguments that are not switches and end in an extension MLP Lab registers, resolved against
 * the launch's working folder. The executable (argv[0]) and, in development, the app folder are skipped
 * as they have no such extension.
 */
export function filesFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((arg) => arg.length <= MAX_PATH && !arg.startsWith('-') && fileTypeOf(arg) !== null)
    .map((arg) => path.resolve(cwd, arg));
}

export type OpenHandlers = Partial<Record<FileTypeKey, (file: string) => Promise<void>>>;

export interface FileOpenerOptions {
  /** Each file type's handler: model bundles to the window's import, lessons to the lessons service. */
  handlers: OpenHandlers;
  /** Tells the user why a file was not opened (a message box in the app). */
  report: (message: string) => void;
  /** A file that was opened: it goes on the recent list. */
  opened?: (file: string) => void;
}

/**
 * Opens the files the system hands the app, by extension, through injected handlers. Files that arrive
 * before the window can take them (a first launch, macOS open-file before ready) wait for `ready()`.
 * Every file is checked to be a regular file before its handler sees it; failures name the file.
 */
export class FileOpener {
  #ready = false;
  #waiting: string[] = [];
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileOpenerOptions) {}

  /** The window can take files now: opens those that waited. */
  ready(): Promise<void> {
    this.#ready = true;
    const waiting = this.#waiting;
    this.#waiting = [];
    return this.open(waiting);
  }

  /** Opens `files` one after the other (after any still being opened). */
  open(files: readonly string[]): Promise<void> {
    if (files.length > MAX_OPEN_FILES) {
      this.options.report(`${files.length} files were given; MLP Lab opens the first ${MAX_OPEN_FILES}.`);
    }
    const taken = files.slice(0, MAX_OPEN_FILES);
    if (!this.#ready) {
      this.#waiting = [...this.#waiting, ...taken].slice(0, MAX_OPEN_FILES);
      return Promise.resolve();
    }
    this.#chain = this.#chain.then(async () => {
      for (const file of taken) await this.#openOne(file);
    });
    return this.#chain;
  }

  async #openOne(file: string): Promise<void> {
    const type = fileTypeOf(file);
    const known = Object.values(FILE_TYPES).map((t) => `.${t.ext}`).join(' and ');
    if (type === null) return this.options.report(`${file}: MLP Lab opens ${known} files.`);
    const handler = this.options.handlers[type];
    if (!handler) return this.options.report(`${file}: this build of MLP Lab cannot open ${FILE_TYPES[type].name} files.`);
    try {
      const info = await stat(file).catch(() => null);
      if (!info) return this.options.report(`${file} is missing.`);
      if (!info.isFile()) return this.options.report(`${file} is not a regular file.`);
      await handler(file);
      this.options.opened?.(file);
    } catch (error) {
      this.options.report(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The part of Electron's app the single-instance set-up uses; tests hand in an EventEmitter. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
  on(event: 'open-file', listener: (event: { preventDefault(): void }, file: string) => void): unknown;
}

/**
 * Takes the single-instance lock. False: another MLP Lab runs, it has been handed this launch's
 * arguments, and this process should quit. True: a later launch focuses this one's window and opens
 * the files it was given; so does macOS's open-file (a double click, a drop on the dock).
 */
export function claimSingleInstance(app: SingleInstanceApp, target: { focus(): void; opener: Pick<FileOpener, 'open'> }): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv, workingDirectory) => {
    target.focus();
    void target.opener.open(filesFromArgv(argv, workingDirectory));
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    void target.opener.open([file]);
  });
  return true;
}
