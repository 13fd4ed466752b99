import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '$main/window/window-options';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions('/app/out/preload/index.cjs');
  const web = options.webPreferences ?? {};

  it('isolates the renderer from Node and from the preload', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and experimental or legacy surfaces off', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.spellcheck).toBe(false);
    expect(web.enableBlinkFeatures).toBeUndefined();
  });

  it('loads exactly the given preload', () => {
    expect(web.preload).toBe('/app/out/preload/index.cjs');
  });

  it('opens hidden, titled and sized for the app', () => {
    expect(options.show).toBe(false);
    expect(options.title).toBe('MLP Lab');
    expect(options.width).toBe(1100);
    expect(options.height).toBe(780);
    expect(options.minWidth).toBeGreaterThan(0);
    expect(options.minHeight).toBeGreaterThan(0);
    expect(options.minWidth).toBeLessThanOrEqual(options.width ?? 0);
    expect(options.minHeight).toBeLessThanOrEqual(options.height ?? 0);
  });

  it('sets no flag that would widen the renderer beyond the list above', () => {
    const known = [
      'preload',
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webSecurity',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'webviewTag',
      'spellcheck',
    ];
    expect(Object.keys(web).sort()).toEqual([...known].sort());
  });
});
