import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  denyAllPermissions,
  EXTERNAL_LINK_HOSTS,
  hardenWebContents,
  isAllowedExternalUrl,
} from '$main/window/security';

type OpenHandler = (details: { url: string }) => { action: string };

class FakeContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
}

function hardened(allowedExternalHosts: readonly string[] = ['github.com']) {
  const contents = new FakeContents();
  const openExternal = vi.fn(async (_url: string) => undefined);
  hardenWebContents(contents as never, { allowedExternalHosts, openExternal });
  const open = (url: string) => {
    if (contents.openHandler === null) throw new Error('no window-open handler installed');
    return contents.openHandler({ url });
  };
  return { contents, openExternal, open };
}

function fakeEvent() {
  return { preventDefault: vi.fn() };
}

// Electron 45 passes a details event carrying the URL; will-navigate and will-redirect also pass the
// deprecated positional url, isInPlace, isMainFrame, frameProcessId, frameRoutingId after it.
function navigationEvent(url: string, isMainFrame: boolean) {
  return { preventDefault: vi.fn(), url, isMainFrame, isSameDocument: false, frame: null, initiator: null };
}

function emitNavigation(contents: FakeContents, name: string, url: string, isMainFrame: boolean) {
  const event = navigationEvent(url, isMainFrame);
  if (name === 'will-frame-navigate') contents.emit(name, event);
  else contents.emit(name, event, url, false, isMainFrame, 1, 1);
  return event;
}

const OFF_APP_URLS = [
  'https://evil.example/',
  'http://localhost:5173/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
];
// The app's own origin and an allowlisted host: neither is navigated to inside the app either.
const IN_APP_OR_ALLOWLISTED_URLS = ['app://bundle/index.html', 'app://bundle/', 'https://github.com/'];

describe('hardenWebContents', () => {
  describe.each([
    ['will-navigate', true],
    ['will-frame-navigate', true],
    ['will-frame-navigate', false],
    ['will-redirect', true],
    ['will-redirect', false],
  ] as const)('%s (main frame: %s)', (name, isMainFrame) => {
    it.each([...OFF_APP_URLS, ...IN_APP_OR_ALLOWLISTED_URLS])('prevents %s and opens nothing', async (url) => {
      const { contents, openExternal } = hardened();
      const event = emitNavigation(contents, name, url, isMainFrame);
      expect(event.preventDefault).toHaveBeenCalledOnce();
      await Promise.resolve();
      expect(openExternal).not.toHaveBeenCalled();
    });
  });

  it('prevents attaching a webview', () => {
    const { contents } = hardened();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it.each([
    'http://github.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://bundle/index.html',
    'https://evil.example/',
    'https://github.com.evil.example/',
    'https://evilgithub.com/',
    'https://gist.github.com/',
    'https://user:pw@github.com/',
    'https://github.com:8443/',
    'not a url',
  ])('denies window.open(%s) and opens nothing', async (url) => {
    const { open, openExternal } = hardened();
    expect(open(url)).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies an allowlisted https link in the app and opens it in the system browser', () => {
    const { open, openExternal } = hardened();
    expect(open('https://github.com/zalandoresearch/fashion-mnist')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://github.com/zalandoresearch/fashion-mnist');
  });

  it('swallows a failing openExternal instead of leaving an unhandled rejection', async () => {
    const contents = new FakeContents();
    const openExternal = vi.fn(() => Promise.reject(new Error('no browser')));
    hardenWebContents(contents as never, { allowedExternalHosts: ['github.com'], openExternal });
    expect(contents.openHandler?.({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(openExternal).toHaveBeenCalledOnce();
  });

  it('hardens the same contents only once', () => {
    const contents = new FakeContents();
    const options = { allowedExternalHosts: [], openExternal: vi.fn(async () => undefined) };
    hardenWebContents(contents as never, options);
    hardenWebContents(contents as never, options);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(contents.listenerCount(name), name).toBe(1);
    }
  });
});

describe('EXTERNAL_LINK_HOSTS', () => {
  it('is a short list of bare https hosts', () => {
    expect(EXTERNAL_LINK_HOSTS.length).toBeGreaterThan(0);
    expect(EXTERNAL_LINK_HOSTS.length).toBeLessThanOrEqual(5);
    for (const host of EXTERNAL_LINK_HOSTS) {
      expect(host).toMatch(/^[a-z0-9.-]+\.[a-z]+$/);
      expect(isAllowedExternalUrl(`https://${host}/`, EXTERNAL_LINK_HOSTS)).toBe(true);
      expect(isAllowedExternalUrl(`http://${host}/`, EXTERNAL_LINK_HOSTS)).toBe(false);
    }
  });
});

describe('denyAllPermissions', () => {
  function fakeSession() {
    return {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
  }

  it('refuses every permission request, check and device', () => {
    const session = fakeSession();
    denyAllPermissions(session as never);

    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0];
    expect(check(null, 'media', 'app://bundle', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0];
    expect(device({ deviceType: 'usb', origin: 'app://bundle' })).toBe(false);
  });

  it('works on a session without device permissions', () => {
    const { setDevicePermissionHandler: _absent, ...session } = fakeSession();
    expect(() => denyAllPermissions(session as never)).not.toThrow();
    expect(session.setPermissionCheckHandler).toHaveBeenCalledOnce();
  });
});
