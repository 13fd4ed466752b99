/**
 * The app:// origin's names, apart from app-protocol.ts so code that only compares URLs (the IPC
 * sender check) does not load the electron module, and runs in plain Node tests.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
