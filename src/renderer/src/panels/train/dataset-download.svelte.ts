import type { DownloadProgress } from '$shared/datasets/download';
import { isCatalogId } from '$shared/datasets/catalog';
import { errorText } from '../../app/error-text';
import type { SpecEditor } from './spec-editor.svelte';
import type { TrainingApi } from './training-run';

/**
 * A dataset download started from the Train panel, for a preset that needs a dataset not on this
 * machine yet: shown while it runs, and after it failed.
 */
export class DatasetDownload {
  progress = $state.raw<DownloadProgress | null>(null);

  /** Main's progress event; only this download's are shown here (the Data tab has its own). */
  onProgress(progress: DownloadProgress): void {
    if (progress.datasetId === this.progress?.datasetId) this.progress = progress;
  }

  /** Downloads the editor's dataset and, once it is here, gives the editor the new dataset list. */
  async start(api: Pick<TrainingApi, 'downloadDataset' | 'listDatasets'>, editor: SpecEditor): Promise<void> {
    const datasetId = editor.datasetId;
    if (!isCatalogId(datasetId) || this.progress?.state === 'downloading') return;
    const started: DownloadProgress = { datasetId, state: 'downloading', files: [], received: 0, total: 0, bytesPerSecond: 0, etaSeconds: null, failures: [], message: null };
    this.progress = started;
    try {
      this.progress = await api.downloadDataset({ datasetId });
      // The list-changed event may have come first, or not at all (a bridge that drops it): ask.
      if (this.progress.state === 'done') editor.datasets = await api.listDatasets();
    } catch (error) {
      this.progress = { ...started, state: 'failed', message: errorText(error) };
    }
  }
}
