import type { SavedModel } from '$shared/models';
import { errorText } from '../../app/error-text';
import { plainFileError } from '../../app/plain-error';
import type { TrainingApi } from './training-run';

/** Saving the trained model to the library: under way, done, or why it failed. */
export class ModelSave {
  saving = $state(false);
  saved = $state.raw<SavedModel | null>(null);
  error = $state<string | null>(null);

  async save(api: Pick<TrainingApi, 'saveModel'>, name: string): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    this.clear();
    try {
      this.saved = await api.saveModel({ name });
    } catch (error) {
      this.error = plainFileError(errorText(error));
    } finally {
      this.saving = false;
    }
  }

  /** Forgets the last save's outcome: a new training call makes a model that is not saved yet. */
  clear(): void {
    this.saved = null;
    this.error = null;
  }
}
