import type { ImportedDataset, ImportedProblem, ImportFormat, ImportPreview } from '$shared/datasets/imported';
import type { Api } from '$shared/ipc/contract';
import { errorText } from '../../app/error-text';

export type ImportApi = Pick<Api, 'previewImport' | 'saveImport' | 'listImported' | 'deleteImported'>;

/** One in seven images for testing, as MNIST's 10,000 of 70,000. */
export const DEFAULT_TEST_FRACTION = 1 / 7;

/** The Data tab's import: the preview of the files picked, its editable name and class names, and what is imported. */
export class ImportState {
  format = $state<ImportFormat>('csv');
  preview = $state.raw<ImportPreview | null>(null);
  name = $state('');
  classNames = $state<string[]>([]);
  testFraction = $state(DEFAULT_TEST_FRACTION);
  busy = $state(false);
  error = $state<string | null>(null);
  imported = $state.raw<readonly ImportedDataset[]>([]);
  /** Folders under datasets/imported/ whose manifest does not read: shown so they can be deleted. */
  problems = $state.raw<readonly ImportedProblem[]>([]);

  readonly canSave = $derived(
    this.preview !== null && !this.busy && this.name.trim() !== '' && this.classNames.every((n) => n.trim() !== ''),
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
        testFraction: this.testFraction,
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
