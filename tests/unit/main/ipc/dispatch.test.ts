import { describe, expect, it, vi } from 'vitest';
import { createDispatch, IpcRequestError } from '$main/ipc/dispatch';
import type { Handlers } from '$shared/ipc/contract';
import { MAX_MESSAGE_LENGTH } from '$shared/bounded-message';
import { DEFAULT_SPEC } from '$shared/model-spec';

const layer = { units: 1, activation: 'relu', dropout: 0 };

describe('createDispatch', () => {
  it('refuses a run id that could be a path, and a clipboard text past its bound, before any handler runs', async () => {
    const remove = vi.fn(async () => true);
    const copy = vi.fn(async () => undefined);
    const dispatch = createDispatch({ 'runs:delete': remove, 'app:copy-text': copy } as unknown as Handlers);
    for (const id of ['../models/default', 'a.json', '', 'x'.repeat(65)]) {
      await expect(dispatch('runs:delete', [{ id }])).rejects.toThrow(/runs:delete: invalid argument at 0\.id/);
    }
    await expect(dispatch('app:copy-text', [{ text: 'x'.repeat(200_001) }])).rejects.toThrow(/app:copy-text: invalid argument at 0\.text/);
    expect(remove).not.toHaveBeenCalled();
    expect(copy).not.toHaveBeenCalled();
    await dispatch('runs:delete', [{ id: '0f6e3c1a-5b2d-4c7e-9a8b-1234567890ab' }]);
    expect(remove).toHaveBeenCalledOnce();
  });

  it('refuses a spec with a million hidden layers with a short message that names the field', async () => {
    const start = vi.fn(async () => ({ runId: 'x' }));
    const dispatch = createDispatch({ 'training:start': start } as unknown as Handlers);
    const spec = { ...DEFAULT_SPEC, hiddenLayers: Array.from({ length: 1_000_000 }, () => layer) };
    const error = await dispatch('training:start', [{ spec, datasetId: 'mnist' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcRequestError);
    const { message } = error as Error;
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(message).toMatch(/training:start: invalid argument at 0\.spec\.hiddenLayers: at most 8 hidden layers/);
    expect(start).not.toHaveBeenCalled();
  });

  it('bounds the message of an error a handler throws, and passes a short one on untouched', async () => {
    const short = new TypeError('no such model');
    let thrown: unknown = new Error(`The model settings are not usable: ${'layer 1 units must be 1 to 1024; '.repeat(100_000)}`);
    const dispatch = createDispatch({
      'app:get-info': async () => {
        throw thrown;
      },
    } as unknown as Handlers);
    const error = (await dispatch('app:get-info', []).catch((e: unknown) => e)) as Error;
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(error.message).toMatch(/^The model settings are not usable: layer 1 units.*…$/);
    expect(error).toBeInstanceOf(Error);
    thrown = 'x'.repeat(5000);
    expect(((await dispatch('app:get-info', []).catch((e: unknown) => e)) as Error).message).toHaveLength(MAX_MESSAGE_LENGTH);
    thrown = short;
    await expect(dispatch('app:get-info', [])).rejects.toBe(short);
    thrown = 'not an Error';
    await expect(dispatch('app:get-info', [])).rejects.toBe('not an Error');
  });

  it('bounds a validation message, whatever the schema says', async () => {
    const dispatch = createDispatch({} as Handlers);
    const error = (await dispatch('x'.repeat(10_000), []).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(IpcRequestError);
    expect(error.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(error.message).toMatch(/^unknown channel "x+…$/);
  });
});
