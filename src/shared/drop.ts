import type { ImportFormat } from './datasets/imported';

/** What files dropped on the window are, as main found them: which import takes them, or why none does. */
export type DropTarget =
  | { target: 'dataset'; format: ImportFormat }
  | { target: 'model' }
  | { target: 'lesson' }
  | { target: null; reason: string };

/** At most this many paths are taken from one drop (a model.json and its shards, an IDX train/test pair). */
export const MAX_DROPPED_PATHS = 64;
