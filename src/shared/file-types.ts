/**
 * The file types MLP Lab registers with the desktop (packaging's file associations) and opens when the
 * system hands it one (a double click, a second launch, macOS open-file). Extensions without the dot.
 */
export const FILE_TYPES = {
  /** An exported model bundle: the model export's zip under its own extension (import also takes .zip). */
  model: { ext: 'mlpmodel', name: 'MLP Lab model', mimeType: 'application/x-mlplab-model' },
  /** A lesson: Markdown with front matter (docs/lessons.md). */
  lesson: { ext: 'mlplesson', name: 'MLP Lab lesson', mimeType: 'application/x-mlplab-lesson' },
} as const;

export type FileTypeKey = keyof typeof FILE_TYPES;

/** Which registered type a path names, by its extension (case-insensitive), or null. */
export function fileTypeOf(file: string): FileTypeKey | null {
  const dot = file.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = file.slice(dot + 1).toLowerCase();
  for (const key of Object.keys(FILE_TYPES) as FileTypeKey[]) if (FILE_TYPES[key].ext === ext) return key;
  return null;
}
