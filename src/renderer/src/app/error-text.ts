/** What a failed call says: its message (the preload has already taken off Electron's IPC prefix). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
