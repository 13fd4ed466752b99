import type { CatalogId } from './catalog';

/** One mirror that could not deliver one file, and why, in words for the UI. */
export interface MirrorFailure {
  mirror: string;
  file: string;
  reason: string;
}

export type DownloadState = 'downloading' | 'done' | 'failed' | 'cancelled';

export interface FileProgress {
  name: string;
  received: number;
  /** The catalog's archive size (a recompressing mirror may send a little more or less). */
  total: number;
  state: 'waiting' | 'downloading' | 'done' | 'failed';
}

/** Sent at most ~10 times a second while a dataset downloads, and once when it ends. */
export interface DownloadProgress {
  datasetId: CatalogId;
  state: DownloadState;
  files: FileProgress[];
  received: number;
  total: number;
  /** Over the last few seconds; 0 before the first bytes. */
  bytesPerSecond: number;
  /** null while the speed is unknown. */
  etaSeconds: number | null;
  failures: MirrorFailure[];
  /** Why it failed, or that it was cancelled; null while it runs and when it succeeds. */
  message: string | null;
}
