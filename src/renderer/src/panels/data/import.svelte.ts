import type { ImportedDataset, ImportedProblem, ImportFormat, ImportPreview, ImportProgress } from '$shared/datasets/imported';
import type { Api } from '$shared/ipc/contract';
import { errorText } from '../../app/error-text';

export type ImportApi = Pick<Api, 'previewImport' | 'cancelImport' | 'saveImport' | 'listImported' | 'deleteImported'>;

/**
 * About one in seven images for testing, as MNIST's 10,000 of 70,000, in the whole percent the field
 * shows (its 0.142857… had been shown raw).
 */
export const DEFAULT_TEST_PERCENT = 14;
export const DEFAULT_TEST_FRACTION = DEFAULT_TEST_PERCENT / 100;
const TEST_PERCENT = { min: 1, max: 50 } as const;

/** The Data tab's import: the preview of the files picked, its editable name and class names, and what is imported. */
export class ImportState {
  format = $state<ImportFormat>('csv');
  preview = $state.raw<ImportPreview | null>(null);
  name = $state('');
  classNames = $state<string[]>([]);
  /** The test share in whole percent, as typed: null when the field is empty or not a number. */
  testPercent = $state<number | null>(DEFAULT_TEST_PERCENT);
  busy = $state(false);
  /** A folder's images decoded so far while a preview reads them (main sends dataset:import-progress). */
  progress = $state<ImportProgress | null>(null);
  error = $state<string | null>(null);
  imported = $state.raw<readonly ImportedDataset[]>([]);
  /** Folders under datasets/imported/ whose manifest does not read: shown so they can be deleted. */
  problems = $state.raw<readonly ImportedProblem[]>([]);

  /** What is wrong with the typed test share, said at the field (a bad one had made Save do nothing). */
  readonly testProblem = $derived.by((): string | null => {
    if (this.preview?.counts.test !== null) return null;
    const p = this.testPercent;
    return typeof p === 'number' && Number.isInteger(p) && p >= TEST_PERCENT.min && p <= TEST_PERCENT.max
      ? null
      : `Test share: enter a whole percentage from ${TEST_PERCENT.min} to ${TEST_PERCENT.max} (${DEFAULT_TEST_PERCENT} is usual).`;
  });
  readonly canSave = $derived(
    this.preview !== null && !this.busy && this.name.trim() !== '' && this.classNames.every((n) => n.trim() !== '') && this.testProblem === null,
  );

  async refresh(api: ImportApi): Promise<void> {
    try {
      const listing = await api.listImported();
      this.imported = listing.datasets;
      this.problems = listing.problems;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /**
   * Shows what the files hold: those dropped on the window (their format as main found it), or else the
   * ones picked in the open dialog. A cancelled dialog changes nothing.
   */
  async open(api: ImportApi, dropped?: { paths: string[]; format: ImportFormat }): Promise<void> {
    this.busy = true;
    this.error = null;
    this.progress = null;
    if (dropped) this.format = dropped.format;
    try {
      const preview = await api.previewImport({ format: this.format, paths: dropped?.paths });
      if (preview) {
        this.preview = preview;
        this.classNames = [...preview.classNames];
        this.name = preview.sources[0]?.replace(/\.(csv|gz)$/i, '').replace(/[-_.]?(idx\d-ubyte|images|labels)$/i, '') || 'My dataset';
      }
    } catch (error) {
      this.preview = null;
      this.error = errorText(error);
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  /** Progress of the read under way; ignored once it is over (a late event must not show a bar). */
  onProgress(progress: ImportProgress): void {
    if (this.busy) this.progress = progress;
  }

  /** Stops the read under way: its preview comes back empty, as a cancelled dialog's. */
  async cancel(api: ImportApi): Promise<void> {
    try {
      await api.cancelImport();
    } catch (error) {
      this.error = errorText(error);
    }
  }

  discard(): void {
    this.preview = null;
    this.error = null;
  }

  async save(api: ImportApi): Promise<void> {
    const preview = this.preview;
    if (!preview || !this.canSave) return;
    this.busy = true;
    this.error = null;
    try {
      await api.saveImport({
        token: preview.token,
        name: this.name.trim(),
        classNames: this.classNames.map((n) => n.trim()),
        testFraction: (this.testPercent ?? DEFAULT_TEST_PERCENT) / 100,
      });
      this.preview = null;
      await this.refresh(api);
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  /** Deletes a dataset by id, or a problem folder by its name (which is the id it would have). */
  async remove(api: ImportApi, id: string): Promise<void> {
    try {
      if (await api.deleteImported({ id })) await this.refresh(api);
    } catch (error) {
      this.error = errorText(error);
      // Refused because the folder changed (mended while the dialog was open): show it as it is now.
      await this.refresh(api);
    }
  }
}
