import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (request: { url: string; method: string }) => Promise<Response>;

const electron = vi.hoisted(() => ({
  protocol: { handle: vi.fn(), registerSchemesAsPrivileged: vi.fn() },
}));
vi.mock('electron', () => electron);

const { APP_ORIGIN, APP_SCHEME, handleAppProtocol, mimeTypeFor, registerAppScheme, resolveBundlePath } = await import(
  '$main/window/app-protocol'
);
const { PRODUCTION_CSP } = await import('$main/window/csp');
const { MAX_BUNDLE_FILE_BYTES } = await import('$main/window/bundle-file');

const ROOT = path.resolve('/srv/app/out/renderer');
const at = (...parts: string[]): string => path.join(ROOT, ...parts);

describe('resolveBundlePath', () => {
  it('maps the origin itself to index.html', () => {
    expect(resolveBundlePath(ROOT, 'app://bundle/')).toBe(at('index.html'));
    expect(resolveBundlePath(ROOT, 'app://bundle')).toBe(at('index.html'));
    expect(resolveBundlePath(ROOT, 'app://bundle/?x=1')).toBe(at('index.html'));
    expect(resolveBundlePath(ROOT, 'app://bundle/#/train')).toBe(at('index.html'));
  });

  it('maps plain bundle paths to files under the renderer folder, ignoring query and hash', () => {
    expect(resolveBundlePath(ROOT, 'app://bundle/index.html')).toBe(at('index.html'));
    expect(resolveBundlePath(ROOT, 'app://bundle/assets/index-AbC123.js')).toBe(at('assets', 'index-AbC123.js'));
    expect(resolveBundlePath(ROOT, 'app://bundle/assets/app.css?v=2#top')).toBe(at('assets', 'app.css'));
    expect(resolveBundlePath(ROOT, 'app://bundle/assets/my%20font.woff2')).toBe(at('assets', 'my font.woff2'));
  });

  it.each([
    ['raw parent segments', 'app://bundle/../../etc/passwd'],
    ['a parent segment mid-path', 'app://bundle/assets/../../secret'],
    ['a parent segment that stays inside', 'app://bundle/assets/../index.html'],
    ['a dot segment', 'app://bundle/./index.html'],
    ['percent-encoded dots and slashes', 'app://bundle/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['upper-case percent-encoding', 'app://bundle/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd'],
    ['encoded slashes around raw dots', 'app://bundle/..%2f..%2fetc%2fpasswd'],
    ['encoded dots as a segment', 'app://bundle/%2e%2e/%2e%2e/etc/passwd'],
    ['a raw backslash', 'app://bundle/..\\..\\windows\\win.ini'],
    ['an encoded backslash', 'app://bundle/..%5c..%5cwindows%5cwin.ini'],
    ['an encoded backslash in a name', 'app://bundle/assets%5cindex.js'],
    ['a null byte', 'app://bundle/index.html%00.png'],
    ['a raw null byte', 'app://bundle/index.html\0.png'],
    ['an absolute path after the host', 'app://bundle//etc/passwd'],
    ['an encoded absolute path', 'app://bundle/%2fetc%2fpasswd'],
    ['a doubled slash mid-path', 'app://bundle/assets//index.js'],
    ['a Windows drive', 'app://bundle/C:/Windows/win.ini'],
    ['an encoded Windows drive', 'app://bundle/C%3a%5cWindows'],
    ['malformed percent-encoding', 'app://bundle/%E0%A4%A'],
    ['another host', 'app://evil/index.html'],
    ['a host that starts with bundle', 'app://bundle.evil.com/index.html'],
    ['a longer host', 'app://bundlex/index.html'],
    ['userinfo', 'app://bundle@evil/index.html'],
    ['a port', 'app://bundle:8080/index.html'],
    ['another scheme', 'file:///srv/app/out/renderer/index.html'],
    ['https', 'https://bundle/index.html'],
    ['an empty string', ''],
  ])('refuses %s', (_why, url) => {
    expect(resolveBundlePath(ROOT, url)).toBeNull();
  });

  it('never returns a path outside the renderer folder, whatever the request', () => {
    const pieces = ['..', '.', '%2e', '%2E', '%2f', '%5c', '/', '\\', 'a', '%00', ':', '%25'];
    for (const a of pieces) {
      for (const b of pieces) {
        for (const c of pieces) {
          const resolved = resolveBundlePath(ROOT, `app://bundle/${a}${b}${c}`);
          if (resolved !== null) expect(resolved.startsWith(ROOT + path.sep)).toBe(true);
        }
      }
    }
  });
});

describe('mimeTypeFor', () => {
  it('gives browsers the types module scripts and styles need', () => {
    expect(mimeTypeFor('a/index.html')).toMatch(/^text\/html/);
    expect(mimeTypeFor('a/x.JS')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('a/x.css')).toMatch(/^text\/css/);
    expect(mimeTypeFor('a/x.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('a/x.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('a/unknown.xyz')).toBe('application/octet-stream');
  });
});

describe('registerAppScheme', () => {
  it('registers app:// as a standard, secure scheme with fetch support', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(APP_ORIGIN).toBe('app://bundle');
  });
});

describe('handleAppProtocol', () => {
  let dir: string;
  let handler: Handler;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-protocol-'));
    const bundle = path.join(dir, 'renderer');
    await mkdir(path.join(bundle, 'assets'), { recursive: true });
    await writeFile(path.join(bundle, 'index.html'), '<!doctype html><title>MLP Lab</title>');
    await writeFile(path.join(bundle, 'assets', 'main.js'), 'console.log(1);');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the bundle');
    handleAppProtocol(bundle);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  beforeEach(() => {
    expect(electron.protocol.handle).toHaveBeenCalledWith(APP_SCHEME, expect.any(Function));
    handler = electron.protocol.handle.mock.calls.at(-1)?.[1] as Handler;
  });

  it('serves a file with its MIME type and the production CSP', async () => {
    const response = await handler(new Request('app://bundle/assets/main.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1);');
  });

  it('serves index.html for the bare origin', async () => {
    const response = await handler(new Request('app://bundle/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
    expect(await response.text()).toContain('MLP Lab');
  });

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/%2e%2e%2fsecret.txt',
    'app://bundle/%2e%2e/secret.txt',
  ])('answers 404 to the traversal %s without reading outside the bundle', async (url) => {
    const response = await handler({ url, method: 'GET' });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('outside the bundle');
  });

  it('answers 404 for a missing file and for a directory', async () => {
    expect((await handler(new Request('app://bundle/nope.js'))).status).toBe(404);
    expect((await handler(new Request('app://bundle/assets'))).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await handler({ url: 'app://bundle/index.html', method: 'POST' });
    expect(response.status).toBe(405);
  });
});

// Symlinks need privileges on Windows and FIFOs do not live in its file system.
describe.skipIf(process.platform === 'win32')('handleAppProtocol on links and special files', () => {
  const SECRET = 'secret-outside-the-bundle-51c9';
  let dir: string;
  let bundle: string;
  let handler: Handler;
  let warn: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-protocol-links-'));
    bundle = path.join(dir, 'renderer');
    await mkdir(path.join(bundle, 'assets'), { recursive: true });
    await writeFile(path.join(bundle, 'assets', 'main.js'), 'console.log(1);');
    await writeFile(path.join(dir, 'secret.txt'), SECRET);
    await symlink('../secret.txt', path.join(bundle, 'leak.js'));
    await symlink(dir, path.join(bundle, 'up'));
    await symlink('assets/main.js', path.join(bundle, 'alias.js'));
    await symlink('assets', path.join(bundle, 'assets-alias'));
    execFileSync('mkfifo', [path.join(bundle, 'pipe.js')]);
    await writeFile(path.join(bundle, 'huge.bin'), '');
    await truncate(path.join(bundle, 'huge.bin'), MAX_BUNDLE_FILE_BYTES + 1);
    handleAppProtocol(bundle);
    handler = electron.protocol.handle.mock.calls.at(-1)?.[1] as Handler;
  });
  afterAll(async () => {
    // If a read ever did block on the FIFO, a writer end releases the thread it holds.
    await open(path.join(bundle, 'pipe.js'), constants.O_WRONLY | constants.O_NONBLOCK)
      .then((writer) => writer.close())
      .catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('serves a link that points inside the bundle', async () => {
    const response = await handler(new Request('app://bundle/alias.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
    expect(await response.text()).toBe('console.log(1);');
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['a link to a file outside', 'leak.js', 'leak.js'],
    ['a file under a link to a folder outside', 'up/secret.txt', path.join('up', 'secret.txt')],
    ['a link to a folder outside', 'up', 'up'],
    ['a FIFO', 'pipe.js', 'pipe.js'],
    ['a file over the size cap', 'huge.bin', 'huge.bin'],
  ])('answers 403 to %s, reads nothing, and names the file in the log', { timeout: 10_000 }, async (_why, url, file) => {
    const response = await handler(new Request(`app://bundle/${url}`));
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain(dir);
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain(path.join(bundle, file));
  });

  it('answers 404 to a HEAD for a link to a folder inside, without a warning', async () => {
    const response = await handler({ url: 'app://bundle/assets-alias', method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(warn).not.toHaveBeenCalled();
  });
});
