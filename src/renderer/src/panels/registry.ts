import type { Component } from 'svelte';
import type { Api } from '$shared/ipc/contract';
import type { Services } from '../app/context';
import DataPanel from './data/DataPanel.svelte';
import { DataState } from './data/data.svelte';
import DrawPanel from './draw/DrawPanel.svelte';
import GalleryPanel from './gallery/GalleryPanel.svelte';
import ModelsPanel from './models/ModelsPanel.svelte';
import { ModelsState } from './models/models.svelte';
import { GalleryState } from './gallery/gallery.svelte';
import RunsPanel from './runs/RunsPanel.svelte';
import { RunsState } from './runs/runs.svelte';
import TrainPanel from './train/TrainPanel.svelte';
import { activeModelOf, TrainingState } from './train/training.svelte';
import WeightsPanel from './weights/WeightsPanel.svelte';
import { WeightsState } from './weights/weights.svelte';

/**
 * A panel's own state, created once by App so that it outlives a switch to another tab. `connect`
 * subscribes it to main's events and returns the unsubscribe function.
 */
export interface PanelState {
  connect?(api: Api): () => void;
}

export interface PanelDefinition {
  /** Also names the DOM: tab-<id> (data-testid too) and panel-<id>. */
  id: string;
  label: string;
  /** The digit of its shortcut: Ctrl+<key> (⌘ on macOS) opens the panel. */
  key: string;
  /** Null while the panel is still to come: its tab shows, disabled. */
  component: Component<{ state: never }> | null;
  /** Builds the state the component receives as its `state` prop; panels without one share only Services. */
  createState?: (services: Services) => PanelState;
}

/** Pairs a component with the state it takes, so each entry is type-checked on its own. */
function panel<S extends PanelState>(definition: {
  id: string;
  label: string;
  key: string;
  component: Component<{ state: S }>;
  createState: (services: Services) => S;
}): PanelDefinition {
  return definition as unknown as PanelDefinition;
}

/** The tab bar, in order: the one table to edit when a panel is added (docs/architecture.md). */
export const PANELS: readonly PanelDefinition[] = [
  { id: 'draw', label: 'Draw', key: '1', component: DrawPanel },
  panel({
    id: 'train',
    label: 'Train',
    key: '2',
    component: TrainPanel,
    createState: ({ classifier, handoff }) => new TrainingState({ activeModel: () => activeModelOf(classifier), handoff }),
  }),
  panel({ id: 'gallery', label: 'Gallery', key: '3', component: GalleryPanel, createState: (services) => new GalleryState(services.handwriting) }),
  panel({ id: 'weights', label: 'Weights', key: '4', component: WeightsPanel, createState: (services) => new WeightsState(services) }),
  panel({ id: 'models', label: 'Models', key: '5', component: ModelsPanel, createState: (services) => new ModelsState(services.app, services.drops) }),
  panel({ id: 'data', label: 'Data', key: '6', component: DataPanel, createState: (services) => new DataState({ drops: services.drops }) }),
  panel({ id: 'runs', label: 'Runs', key: '7', component: RunsPanel, createState: (services) => new RunsState(services) }),
];

/** The panel a key press selects: Ctrl/⌘ + its digit, with no other modifier. */
export function panelForShortcut(
  panels: readonly PanelDefinition[],
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): PanelDefinition | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  return panels.find((p) => p.key === event.key && p.component !== null) ?? null;
}
