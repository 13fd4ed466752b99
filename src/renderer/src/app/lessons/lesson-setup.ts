import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { findPreset } from '$shared/presets';
import type { LessonAction } from '$shared/lessons/lesson';
import type { SpecRequest } from '../spec-handoff.svelte';

type SetupAction = Extract<LessonAction, { kind: 'setup' }>;

/**
 * The Train settings a "Set this up" gives: its preset's (or, without one, the settings on the Train tab
 * now), its dataset, then its own settings on top; `dropout` sets every hidden layer's.
 */
export function setupRequest(action: SetupAction, current: SpecRequest | null, lessonTitle: string): SpecRequest {
  const preset = action.preset ? findPreset(action.preset) : undefined;
  const base: ModelSpec = structuredClone(preset?.spec ?? current?.spec ?? DEFAULT_SPEC);
  const { hiddenLayers, dropout, ...rest } = action.settings ?? {};
  const spec: ModelSpec = { ...base };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (spec as unknown as Record<string, unknown>)[key] = value;
  }
  if (hiddenLayers) spec.hiddenLayers = hiddenLayers.map((layer) => ({ ...layer }));
  if (dropout !== undefined) spec.hiddenLayers = spec.hiddenLayers.map((layer) => ({ ...layer, dropout }));
  return {
    spec,
    datasetId: action.dataset ?? preset?.dataset ?? current?.datasetId ?? 'mnist',
    origin: `From the lesson “${lessonTitle}”: ${action.label ?? (preset ? preset.title : 'its settings')}.`,
  };
}
