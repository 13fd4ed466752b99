import { describe, expect, it } from 'vitest';
import { PRESETS } from '$shared/presets';
import { SpecEditor } from '$renderer/panels/train/spec-editor.svelte';

describe('SpecEditor', () => {
  it('starts from the sklearn-exercise preset and picking a preset sets every setting', () => {
    const editor = new SpecEditor();
    expect(editor.presetId).toBe('sklearn-exercise');
    expect(editor.spec).toEqual(PRESETS.find((p) => p.id === 'sklearn-exercise')!.spec);
    expect(editor.modified).toBe(false);
    for (const preset of PRESETS) {
      editor.selectPreset(preset.id);
      expect(editor.presetId).toBe(preset.id);
      expect(editor.spec).toEqual(preset.spec);
      expect(editor.datasetId).toBe(preset.dataset);
      expect(editor.modified).toBe(false);
    }
    editor.spec.hiddenLayers[0].units = 7;
    expect(editor.modified).toBe(true);
    // The preset itself is a template, never edited through the editor.
    expect(PRESETS.find((p) => p.id === 'robust-drawing')!.spec.hiddenLayers[0].units).toBe(512);
  });

  it('summarises presets as Keras counts them, live as the spec changes', () => {
    const editor = new SpecEditor();
    expect(editor.summary.totalParams).toBe(39_760);
    editor.selectPreset('keras-two-layers');
    expect(editor.summary.totalParams).toBe(42_310);
    expect(editor.summary.rows.map((r) => r.layer)).toEqual(['hidden_1', 'dropout_1', 'hidden_2', 'dropout_2', 'output']);
    editor.selectPreset('sklearn-exercise');
    editor.spec.hiddenLayers[0].units = 100;
    expect(editor.summary.totalParams).toBe(784 * 100 + 100 + 100 * 10 + 10);
    editor.addLayer();
    expect(editor.summary.rows).toHaveLength(3);
    editor.removeLayer(0);
    editor.removeLayer(0);
    expect(editor.summary.totalParams).toBe(7850);
  });

  it('keeps optimizer settings consistent and explains impossible ones', () => {
    const editor = new SpecEditor();
    expect(editor.problems).toEqual([]);
    editor.setOptimizer('adam');
    expect(editor.spec).toMatchObject({ momentum: 0, nesterov: false });
    expect(editor.problems).toEqual([]);
    editor.setOptimizer('sgd');
    editor.setMomentum(0.9);
    editor.spec.nesterov = true;
    editor.setMomentum(0);
    expect(editor.spec.nesterov).toBe(false);
    editor.spec.epochs = 0;
    expect(editor.problems).toEqual(['epochs must be a whole number from 1 to 1000 (got 0)']);
  });

  it('adds layers up to the limit', () => {
    const editor = new SpecEditor();
    for (let i = 0; i < 20; i++) editor.addLayer();
    expect(editor.spec.hiddenLayers).toHaveLength(8);
    expect(editor.problems).toEqual([]);
  });
});
