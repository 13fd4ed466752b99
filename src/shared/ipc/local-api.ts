/** What the preload answers itself, with no IPC. */
export interface LocalApi {
  /** The paths of files dropped on the window, in order; '' for one that has none (such as a web image). */
  pathsForFiles(files: readonly File[]): string[];
}
