import path from 'node:path';
import { protocol } from 'electron';
import { APP_ORIGIN, APP_SCHEME } from './app-origin';
import { readBundleFile } from './bundle-file';
import { PRODUCTION_CSP } from './csp';

/**
 * app://bundle/ serves the built renderer. A privileged standard scheme gives the page a real origin
 * (module scripts, fetch, same-origin checks work) without file://, which would expose the whole disk
 * to any script that manages to run.
 */
export { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-origin';

/** Must run before the app's ready event: Chromium reads scheme privileges once at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
};

export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

const PREFIX = APP_ORIGIN;

/**
 * Maps a request URL to a file inside rendererDir, or null when it is not one. Works on the raw string,
 * not on `new URL()`: URL parsing silently resolves `..`, which would hide an attack instead of refusing
 * it. Anything odd is refused outright; a real bundle only ever asks for plain relative paths.
 */
export function resolveBundlePath(rendererDir: string, requestUrl: string): string | null {
  if (requestUrl.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return null;
  const rest = requestUrl.slice(PREFIX.length);
  // Rules out other hosts that merely start with "bundle", ports and userinfo.
  if (rest !== '' && !'/?#'.includes(rest[0])) return null;
  const rawPath = rest.split(/[?#]/, 1)[0].replace(/^\//, '');
  if (rawPath === '') return path.join(rendererDir, 'index.html');

  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes('\\') || decoded.includes('\0') || rawPath.includes('\\')) return null;

  const segments = decoded.split('/');
  for (const segment of segments) {
    // Empty segments mean "//" (an absolute path after the host); ':' means a Windows drive or stream.
    if (segment === '' || segment === '.' || segment === '..' || segment.includes(':')) return null;
  }

  // Belt and braces: whatever the checks above missed, the result must stay under the bundle.
  const root = path.resolve(rendererDir);
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  const resolved = path.resolve(root, ...segments);
  if (!resolved.startsWith(base)) return null;
  return resolved;
}

function textResponse(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

/**
 * Serves rendererDir on app://bundle/ with the production CSP on every file. Call after ready. Only
 * regular files whose real path stays in the bundle are read, and only up to MAX_BUNDLE_FILE_BYTES.
 */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
    const filePath = resolveBundlePath(rendererDir, request.url);
    if (filePath === null) return textResponse(404, 'not found');
    const file = await readBundleFile(rendererDir, filePath);
    if (file.kind === 'missing') return textResponse(404, 'not found');
    if (file.kind === 'forbidden') {
      // A link out of the bundle, a FIFO or a huge file there is a packaging fault: tell the developer
      // which file, tell the page nothing about the disk.
      console.warn(`MLP Lab: app:// refused ${file.reason}`);
      return textResponse(403, 'forbidden');
    }
    const { body } = file;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': mimeTypeFor(filePath),
        'content-security-policy': PRODUCTION_CSP,
        'x-content-type-options': 'nosniff',
        // The bundle changes with every build; a stale cached chunk would mix two builds.
        'cache-control': 'no-cache',
      },
    });
  });
}
