import { describe, expect, it, vi } from 'vitest';
import { createDispatch } from '$main/ipc/dispatch';
import { createWebContentsSink, isTrustedSenderUrl, registerIpc } from '$main/ipc/register-ipc';
import { requests, type Handlers } from '$shared/ipc/contract';

type IpcHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeHandlers() {
  return {
    'app:get-info': vi.fn(async () => ({ version: '1.0.0' })),
    'model:get-active': vi.fn(async () => ({ id: 'm' })),
    'dataset:list': vi.fn(async () => []),
    'dataset:get-samples': vi.fn(async (request: unknown) => ({ echo: request })),
  };
}

function setUp(trusted: (url: string) => boolean = (url) => isTrustedSenderUrl(url)) {
  const registered = new Map<string, IpcHandler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: IpcHandler) => {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
      registered.set(channel, handler);
    }),
  };
  const handlers = fakeHandlers();
  const dispatch = vi.fn(createDispatch(handlers as unknown as Handlers));
  registerIpc(ipcMain as never, dispatch, trusted);
  const call = (channel: string, senderUrl: string | null, ...args: unknown[]) => {
    const handler = registered.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const event = { senderFrame: senderUrl === null ? null : { url: senderUrl } };
    // ipcMain.handle turns a synchronous throw into a rejection for the renderer; mirror that.
    return Promise.resolve().then(() => handler(event, ...args));
  };
  return { registered, handlers, dispatch, call };
}

const APP_PAGE = 'app://bundle/index.html';

describe('registerIpc', () => {
  it('registers exactly the contract request channels', () => {
    const { registered } = setUp();
    expect([...registered.keys()].sort()).toEqual(Object.keys(requests).sort());
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a file URL', 'file:///tmp/index.html'],
    ['another app host', 'app://other/index.html'],
    ['about:blank', 'about:blank'],
    ['a destroyed frame', null],
  ])('rejects %s before dispatch or any handler runs', async (_why, url) => {
    const { call, dispatch, handlers } = setUp();
    await expect(call('app:get-info', url)).rejects.toThrow(/untrusted sender/);
    expect(dispatch).not.toHaveBeenCalled();
    expect(handlers['app:get-info']).not.toHaveBeenCalled();
  });

  it('asks the trust predicate with the sender frame URL', async () => {
    const trusted = vi.fn(() => false);
    const { call } = setUp(trusted);
    await expect(call('dataset:list', 'app://bundle/x.html')).rejects.toThrow(/untrusted sender/);
    expect(trusted).toHaveBeenCalledWith('app://bundle/x.html');
  });

  it('rejects invalid arguments with a message naming the channel and the problem', async () => {
    const { call, handlers } = setUp();
    await expect(
      call('dataset:get-samples', APP_PAGE, { datasetId: 'mnist', split: 'train', indices: [-1] }),
    ).rejects.toThrow(/dataset:get-samples: invalid argument at 0\.indices\.0/);
    await expect(call('dataset:get-samples', APP_PAGE, { datasetId: '../cifar', split: 'train', indices: [1] })).rejects.toThrow(
      /invalid argument at 0\.datasetId/,
    );
    await expect(call('app:get-info', APP_PAGE, 'extra')).rejects.toThrow(/app:get-info: invalid argument/);
    expect(handlers['dataset:get-samples']).not.toHaveBeenCalled();
    expect(handlers['app:get-info']).not.toHaveBeenCalled();
  });

  it('bounds the Models requests: library ids are never paths, epochs and class names are limited', async () => {
    const { call } = setUp();
    await expect(call('training:continue-model', APP_PAGE, { id: '../etc', epochs: 1 })).rejects.toThrow(/invalid argument at 0\.id/);
    await expect(call('training:continue-model', APP_PAGE, { id: 'mine', epochs: 1001 })).rejects.toThrow(/invalid argument at 0\.epochs/);
    await expect(call('evaluation:compare', APP_PAGE, { a: 'mine', b: 'x/y', images: null })).rejects.toThrow(/invalid argument at 0\.b/);
    await expect(call('model:get', APP_PAGE, { id: 'Mine.json' })).rejects.toThrow(/invalid argument at 0\.id/);
    const confirm = { token: 't', normalization: 'divide255', classNames: ['a', 'b'] };
    await expect(call('model:import-confirm', APP_PAGE, { ...confirm, classNames: ['a', 'x'.repeat(41)] })).rejects.toThrow(/invalid argument at 0\.classNames\.1/);
    await expect(call('model:import-confirm', APP_PAGE, { ...confirm, normalization: 'minus1to1' })).rejects.toThrow(/invalid argument at 0\.normalization/);
  });

  it('passes a valid call from the bundle through to its handler and returns the result', async () => {
    const { call, handlers, dispatch } = setUp();
    const request = { datasetId: 'mnist', split: 'test', indices: [0, 5] };
    await expect(call('dataset:get-samples', APP_PAGE, request)).resolves.toEqual({ echo: request });
    expect(dispatch).toHaveBeenCalledWith('dataset:get-samples', [request]);
    expect(handlers['dataset:get-samples']).toHaveBeenCalledExactlyOnceWith(request);
    await expect(call('app:get-info', APP_PAGE)).resolves.toEqual({ version: '1.0.0' });
  });
});

describe('isTrustedSenderUrl', () => {
  it.each(['app://bundle/', 'app://bundle/index.html', 'app://bundle/index.html#/draw'])('trusts %s', (url) => {
    expect(isTrustedSenderUrl(url)).toBe(true);
  });

  it.each([
    'app://bundle.evil/index.html',
    'app://evil/index.html',
    'app://x@bundle/index.html',
    'file:///app/out/renderer/index.html',
    'https://bundle/index.html',
    'http://localhost:5173/',
    'about:blank',
    '',
    'not a url',
  ])('does not trust %s in production', (url) => {
    expect(isTrustedSenderUrl(url)).toBe(false);
  });

  it('trusts the exact dev server origin in development, and nothing near it', () => {
    const dev = 'http://localhost:5173/';
    expect(isTrustedSenderUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5173/index.html?x#y', dev)).toBe(true);
    expect(isTrustedSenderUrl('app://bundle/index.html', dev)).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSenderUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedSenderUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedSenderUrl('http://localhost.evil:5173/', dev)).toBe(false);
    expect(isTrustedSenderUrl('http://u@localhost:5173/', dev)).toBe(false);
  });

  it('never trusts anything through a dev server URL that is not http(s)', () => {
    expect(isTrustedSenderUrl('file:///x/index.html', 'file:///x/index.html')).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', 'garbage')).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', '')).toBe(false);
  });
});

describe('createWebContentsSink', () => {
  it('sends the event and payload to live contents', () => {
    const contents = { send: vi.fn(), isDestroyed: () => false };
    createWebContentsSink(() => contents)('model:changed', { id: 'a', name: 'A' });
    expect(contents.send).toHaveBeenCalledExactlyOnceWith('model:changed', { id: 'a', name: 'A' });
  });

  it('drops events when there is no window or it was destroyed', () => {
    const destroyed = { send: vi.fn(), isDestroyed: () => true };
    expect(() => createWebContentsSink(() => null)('model:changed', { id: 'a', name: 'A' })).not.toThrow();
    createWebContentsSink(() => destroyed)('model:changed', { id: 'a', name: 'A' });
    expect(destroyed.send).not.toHaveBeenCalled();
  });

  it('looks the window up on every event, so a reopened window receives them', () => {
    const send = vi.fn<(channel: string, ...args: unknown[]) => void>();
    let current: { send: typeof send; isDestroyed: () => boolean } | null = null;
    const sink = createWebContentsSink(() => current);
    sink('model:changed', { id: 'a', name: 'A' });
    current = { send, isDestroyed: () => false };
    sink('model:changed', { id: 'b', name: 'B' });
    expect(send).toHaveBeenCalledExactlyOnceWith('model:changed', { id: 'b', name: 'B' });
  });
});
