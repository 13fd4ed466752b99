import { describe, expect, it } from 'vitest';
import type { AppInfo } from '$shared/app-info';
import { AppState } from '$renderer/app/app-state.svelte';

const INFO: AppInfo = {
  version: '1.2.3',
  trainingBackend: 'tensorflow',
  backendHint: null,
  inferenceBackend: 'TensorFlow.js cpu (in the window)',
};

describe('AppState', () => {
  it('loads the app info and names the training backend as users know it', async () => {
    const app = new AppState();
    expect(app.trainingBackend).toBeNull();
    await app.loadInfo({ getAppInfo: async () => INFO });
    expect(app.info).toEqual(INFO);
    expect(app.trainingBackend).toBe('tfjs-node');
    await app.loadInfo({ getAppInfo: async () => ({ ...INFO, trainingBackend: 'wasm' }) });
    expect(app.trainingBackend).toBe('wasm');
  });

  it('turns a failed info request into a shown error', async () => {
    const app = new AppState();
    await app.loadInfo({ getAppInfo: () => Promise.reject(new Error('no handler')) });
    expect(app.info).toBeNull();
    expect(app.errors.map((e) => e.message)).toEqual(['Could not read the app information: no handler']);
  });

  it('shows each message once and dismisses by id', () => {
    const app = new AppState();
    app.report('Disk full');
    app.report('Disk full');
    app.report('Something else', 'detail');
    expect(app.errors.map((e) => e.message)).toEqual(['Disk full', 'Something else: detail']);
    app.dismiss(app.errors[0].id);
    expect(app.errors.map((e) => e.message)).toEqual(['Something else: detail']);
  });

  it('hands a model to continue to the Train tab and goes there', () => {
    const app = new AppState();
    app.requestContinue({ id: 'mine', name: 'Mine' });
    expect(app.continueFrom).toEqual({ id: 'mine', name: 'Mine' });
    expect(app.panel).toBe('train');
  });

  it('notes each tab opened and each fact once, for lessons’ checks', () => {
    const app = new AppState();
    expect([...app.seen]).toEqual(['panel:draw']);
    app.panel = 'gallery';
    app.note('gallery-failures:6');
    const seen = app.seen;
    app.note('gallery-failures:6');
    expect(app.seen).toBe(seen);
    expect([...app.seen]).toEqual(['panel:draw', 'panel:gallery', 'gallery-failures:6']);
  });
});
