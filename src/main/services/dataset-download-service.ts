import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DATASETS, type CatalogId, type DatasetInfo, type FileRole } from '../../shared/datasets/catalog';
import type { DownloadProgress, MirrorFailure } from '../../shared/datasets/download';
import type { EventSink } from '../../shared/ipc/contract';
import { DownloadCancelledError, DownloadFailedError, fetchFile, type MinSpeed } from './download/download-file';
import { boundMessage } from '../../shared/bounded-message';
import type { Fetcher } from './download/fetcher';

/**
 * Downloads catalog datasets into `<userData>/datasets/<id>/`, one file after another, each over the
 * dataset's mirrors in order (or `MLP_LAB_DATASET_MIRRORS`), with progress events at most ten a
 * second and a cancel that works at any moment. A dataset counts as present only once all its files
 * are verified and in place.
 */

export interface DownloadServiceOptions {
  fetch: Fetcher;
  userDataDir: string;
  events: EventSink;
  /**
   * Replaces every catalog mirror list when it returns a list (MLP_LAB_DATASET_MIRRORS); read at each
   * start, so a bad value fails that download, not the app.
   */
  mirrors?: () => readonly string[] | null;
  /** The catalog; tests give one describing files they made. */
  catalog?: Readonly<Record<CatalogId, DatasetInfo>>;
  stallMs?: number;
  /** The slowest a download may go over a window (download-file's MIN_SPEED by default). */
  minSpeed?: MinSpeed;
  /** Called once a dataset's files are all in place (the dataset service forgets what it cached). */
  onDownloaded?: (id: CatalogId) => void;
}

const ROLES: FileRole[] = ['trainLabels', 'testLabels', 'testImages', 'trainImages'];
/**
 * Reasons that mean the mirror was never reached. A mirror that answered (a redirect it was refused
 * for, a body cut short, a trickle) was reached: its own reason is given, not "No connection".
 */
const UNREACHED = /^(connection refused|host not found|the connection was cut$|network error \((ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENETDOWN|UND_ERR_CONNECT_TIMEOUT)\))/;

export class DatasetDownloadService {
  private readonly running = new Map<CatalogId, { controller: AbortController; done: Promise<DownloadProgress> }>();
  private readonly catalog: Readonly<Record<CatalogId, DatasetInfo>>;

  constructor(private readonly options: DownloadServiceOptions) {
    this.catalog = options.catalog ?? DATASETS;
  }

  dir(id: CatalogId): string {
    return path.join(this.options.userDataDir, 'datasets', id);
  }

  isDownloading(id: CatalogId): boolean {
    return this.running.has(id);
  }

  /** Starts (or joins) the download of `id`; resolves with its last progress, whatever the outcome. */
  download(id: CatalogId): Promise<DownloadProgress> {
    const info = this.catalog[id];
    if (info.bundled) return Promise.reject(new Error(`${info.displayName} comes with the app; there is nothing to download`));
    const existing = this.running.get(id);
    if (existing) return existing.done;
    const controller = new AbortController();
    const done = this.run(info, controller.signal).finally(() => this.running.delete(id));
    this.running.set(id, { controller, done });
    return done;
  }

  /** Stops the download of `id` if one runs; its partial files stay, so the next start resumes. */
  cancel(id: CatalogId): void {
    this.running.get(id)?.controller.abort();
  }

  cancelAll(): void {
    for (const { controller } of this.running.values()) controller.abort();
  }

  private async run(info: DatasetInfo, signal: AbortSignal): Promise<DownloadProgress> {
    const dir = this.dir(info.id);
    const files = ROLES.map((role) => info.files[role]);
    const failures: MirrorFailure[] = [];
    const progress: DownloadProgress = {
      datasetId: info.id,
      state: 'downloading',
      files: files.map((f) => ({ name: f.name, received: 0, total: f.archiveBytes, state: 'waiting' })),
      received: 0,
      total: files.reduce((sum, f) => sum + f.archiveBytes, 0),
      bytesPerSecond: 0,
      etaSeconds: null,
      failures,
      message: null,
    };
    const speed = new SpeedMeter();
    let lastSent = 0;
    const send = (force = false) => {
      const now = Date.now();
      if (!force && now - lastSent < 100) return;
      lastSent = now;
      progress.received = progress.files.reduce((sum, f) => sum + f.received, 0);
      progress.bytesPerSecond = speed.rate(progress.received, now);
      const left = Math.max(0, progress.total - progress.received);
      progress.etaSeconds = progress.bytesPerSecond > 0 ? Math.ceil(left / progress.bytesPerSecond) : null;
      this.options.events('dataset:download-progress', structuredClone(progress));
    };
    try {
      const mirrors = this.options.mirrors?.() ?? info.mirrors;
      await mkdir(dir, { recursive: true });
      send(true);
      for (const [i, file] of files.entries()) {
        progress.files[i].state = 'downloading';
        await fetchFile({
          fetch: this.options.fetch,
          file,
          mirrors,
          finalPath: path.join(dir, file.name),
          signal,
          stallMs: this.options.stallMs,
          minSpeed: this.options.minSpeed,
          onBytes: (received) => {
            progress.files[i].received = received;
            send();
          },
          onMirrorFailure: (failure) => {
            failures.push(failure);
            send(true);
          },
        });
        progress.files[i].state = 'done';
        send(true);
      }
      progress.state = 'done';
      this.options.onDownloaded?.(info.id);
    } catch (err) {
      const current = progress.files.find((f) => f.state === 'downloading');
      if (err instanceof DownloadCancelledError || signal.aborted) {
        progress.state = 'cancelled';
        progress.message = 'Cancelled. Downloaded bytes are kept; downloading again resumes.';
        if (current) current.state = 'waiting';
      } else {
        progress.state = 'failed';
        if (current) current.state = 'failed';
        progress.message = failureMessage(info, err);
      }
    }
    send(true);
    return structuredClone(progress);
  }
}

function failureMessage(info: DatasetInfo, err: unknown): string {
  if (err instanceof DownloadFailedError) {
    if (err.failures.every((f) => UNREACHED.test(f.reason))) {
      // For learners, not developers: what happened, what to try, and the way in without a network (the
      // mirror variable stays documented in the README for those who run their own copy).
      return (
        `No connection: ${info.displayName} could not be downloaded because none of its download sites answered. ` +
        `Check that this computer is online and try again, or, if you have its files, add them with Data → Import → IDX.`
      );
    }
    const reasons = err.failures.map((f) => `${hostOf(f.mirror)}: ${f.reason}`).join('; ');
    return boundMessage(`${err.file} could not be downloaded from any mirror. ${reasons}.`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return `${info.displayName} could not be downloaded: ${message.slice(0, 300)}`;
}

/** A mirror as a reason names it: its host (the path adds nothing a user can act on). */
function hostOf(mirror: string): string {
  try {
    return new URL(mirror).host || mirror.slice(0, 100);
  } catch {
    return mirror.slice(0, 100);
  }
}

/** The sliding window a download's speed is measured over, so a stall shows quickly. */
const SPEED_WINDOW_MS = 5000;
/** Less time than this measured gives no speed yet: a rate over a few ms is noise. */
const SPEED_MIN_SECONDS = 0.2;

/** Bytes a second over the last SPEED_WINDOW_MS. */
class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  rate(bytes: number, now: number): number {
    this.samples.push({ at: now, bytes });
    while (this.samples.length > 2 && now - this.samples[0].at > SPEED_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const seconds = (now - first.at) / 1000;
    return seconds > SPEED_MIN_SECONDS ? Math.max(0, (bytes - first.bytes) / seconds) : 0;
  }
}
