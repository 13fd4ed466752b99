/**
 * Electron rejects the preload's invoke with main's error behind its own prefix, "Error invoking remote
 * method 'model:import': Error: …". The prefix names a channel, not a problem, so it is taken off once
 * here, for every verb, and the window shows main's own message.
 */
const PREFIX = /^Error invoking remote method '[^']+': (?:Error: )?/;

export function plainRemoteError(error: unknown): Error {
  if (!(error instanceof Error) || !PREFIX.test(error.message)) return error instanceof Error ? error : new Error(String(error));
  return new Error(error.message.replace(PREFIX, ''));
}
