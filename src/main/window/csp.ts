/**
 * Content-Security-Policy for the renderer. The renderer runs TensorFlow.js on its pure-JS cpu backend,
 * so it needs neither eval nor WebAssembly: no 'unsafe-eval', no 'wasm-unsafe-eval', no inline code.
 */

const PRODUCTION_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // data:/blob: for canvas snapshots and sample thumbnails the renderer builds itself.
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // Everything the app needs from main arrives over IPC; the page itself talks to nobody.
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** Served by the app:// protocol, and by the e2e harness for the very same bundle. */
export const PRODUCTION_CSP: string = PRODUCTION_DIRECTIVES.join('; ');

/**
 * The policy for `electron-vite dev`: scripts come from the dev server, HMR talks over a WebSocket on
 * the same host, and Vite injects component styles as <style> elements, hence 'unsafe-inline' for
 * styles. Never used for the built bundle.
 */
export function developmentCsp(devServerUrl: string): string {
  const url = new URL(devServerUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`dev server URL must be http(s), got ${devServerUrl}`);
  }
  const origin = url.origin;
  const socket = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return [
    `default-src 'self' ${origin}`,
    `script-src 'self' ${origin}`,
    `style-src 'self' ${origin} 'unsafe-inline'`,
    `img-src 'self' ${origin} data: blob:`,
    `font-src 'self' ${origin}`,
    `connect-src 'self' ${origin} ${socket}`,
    `worker-src 'self' ${origin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
