import { describe, expect, it, vi } from 'vitest';
import { buildApi } from '$preload/build-api';
import { apiTables, events, requests } from '$shared/ipc/contract';

const { verbs, subscriptions } = apiTables;

function build() {
  const invoke = vi.fn(async (channel: string, args: unknown[]) => ({ channel, args }));
  const unsubscribe = vi.fn();
  const subscribe = vi.fn((_event: string, _listener: (payload: unknown) => void) => unsubscribe);
  const pathsForFiles = vi.fn((files: readonly File[]) => files.map((f) => `/dropped/${f.name}`));
  return { api: buildApi(apiTables, invoke, subscribe, { pathsForFiles }), invoke, subscribe, unsubscribe, pathsForFiles };
}

describe('buildApi', () => {
  it('has exactly one function per verb and per subscription, and the local pathsForFiles', () => {
    const { api } = build();
    expect(Object.keys(api).sort()).toEqual([...Object.keys(verbs), ...Object.keys(subscriptions), 'pathsForFiles'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('covers every contract channel and event, each under a name of its own', () => {
    // Two channels declared with one verb would collapse into one entry here.
    expect(Object.values(verbs).sort()).toEqual(Object.keys(requests).sort());
    expect(Object.values(subscriptions).sort()).toEqual(Object.keys(events).sort());
    for (const [verb, channel] of Object.entries(verbs)) expect(requests[channel].verb).toBe(verb);
    for (const [name, event] of Object.entries(subscriptions)) expect(events[event].on).toBe(name);
  });

  it.each(Object.entries(verbs))('%s invokes %s with its arguments as one array', async (verb, channel) => {
    const { api, invoke } = build();
    const fn = api[verb as keyof typeof verbs] as (...args: unknown[]) => Promise<unknown>;
    await expect(fn('a', 2)).resolves.toEqual({ channel, args: ['a', 2] });
    expect(invoke).toHaveBeenCalledExactlyOnceWith(channel, ['a', 2]);
  });

  it('answers pathsForFiles locally, without IPC', () => {
    const { api, invoke, pathsForFiles } = build();
    const file = new File(['x'], 'shapes.csv');
    expect(api.pathsForFiles([file])).toEqual(['/dropped/shapes.csv']);
    expect(pathsForFiles).toHaveBeenCalledOnce();
    expect(invoke).not.toHaveBeenCalled();
  });

  it('passes the renderer arguments through untouched (main validates them)', async () => {
    const { api, invoke } = build();
    const request = { datasetId: 'mnist' as const, split: 'train' as const, indices: [1, 2] };
    await api.getSamples(request);
    expect(invoke.mock.calls[0]?.[1]?.[0]).toBe(request);
  });

  it.each(Object.entries(subscriptions))('%s subscribes to %s and returns its unsubscribe', (name, event) => {
    const { api, subscribe, unsubscribe } = build();
    const listener = vi.fn();
    const off = (api[name as keyof typeof subscriptions] as (l: unknown) => () => void)(listener);
    expect(subscribe).toHaveBeenCalledExactlyOnceWith(event, listener);
    off();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });

  it('refuses a listener that is not a function, at subscription time', () => {
    const { api, subscribe } = build();
    expect(() => api.onModelChanged('nope' as never)).toThrow(TypeError);
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('is frozen, so nothing can be added to or replaced in the bridge object', () => {
    const { api } = build();
    expect(Object.isFrozen(api)).toBe(true);
  });
});
