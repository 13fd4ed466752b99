import type { Component } from 'svelte';
import type { Api } from '$shared/ipc/contract';
import { panelKey } from '$shared/shortcuts';
import type { Services } from '../app/context';
import { setData } from './data/context';
import DataPanel from './data/DataPanel.svelte';
import { DataState } from './data/data.svelte';
import DrawPanel from './draw/DrawPanel.svelte';
import { setGallery } from './gallery/context';
import GalleryPanel from './gallery/GalleryPanel.svelte';
import { GalleryState } from './gallery/gallery.svelte';
import { setModels } from './models/context';
import ModelsPanel from './models/ModelsPanel.svelte';
import { ModelsState } from './models/models.svelte';
import { setProjector } from './projector/context';
import ProjectorPanel from './projector/ProjectorPanel.svelte';
import { ProjectorState } from './projector/projector.svelte';
import { setRuns } from './runs/context';
import RunsPanel from './runs/RunsPanel.svelte';
import { RunsState } from './runs/runs.svelte';
import { setTraining } from './train/context';
import TrainPanel from './train/TrainPanel.svelte';
import { TrainingState } from './train/training.svelte';
import { setWeights } from './weights/context';
import WeightsPanel from './weights/WeightsPanel.svelte';
import { WeightsState } from './weights/weights.svelte';

/**
 * A panel's own state, created once by App so that it outlives a switch to another tab. `connect`
 * subscribes it to main's events and returns the unsubscribe function.
 */
export interface PanelState {
  connect?(api: Api): () => void;
}

/** A panel's state as App holds it, and `provide`, which puts it in the panel's context for its components. */
export interface PanelSetup {
  state: PanelState;
  provide(): void;
}

export interface PanelDefinition {
  /** Also names the DOM: tab-<id> (data-testid too) and panel-<id>. */
  id: string;
  label: string;
  /** The digit of its shortcut: Ctrl+<key> (⌘ on macOS) opens the panel. */
  key: string;
  /** The panel; it reads its state from its own context (see `setUp`), so it takes no props. */
  component: Component;
  /** Makes the panel's state from the app-wide services; panels without one share only Services. */
  setUp?: (services: Services) => PanelSetup;
}

/**
 * Pairs a panel's state with the context its components read it from, so each entry is type-checked on
 * its own; the pair leaves here as a closure, with no type to erase.
 */
function panel<S extends PanelState>(definition: {
  id: string;
  label: string;
  key: string;
  component: Component;
  createState: (services: Services) => S;
  provide: (state: S) => unknown;
}): PanelDefinition {
  const { createState, provide, ...rest } = definition;
  return {
    ...rest,
    setUp: (services) => {
      const state = createState(services);
      return { state, provide: () => void provide(state) };
    },
  };
}

/** The tab bar, in order: the one table to edit when a panel is added (docs/architecture.md). */
export const PANELS: readonly PanelDefinition[] = [
  { id: 'draw', label: 'Draw', key: panelKey('draw'), component: DrawPanel },
  panel({ id: 'train', label: 'Train', key: panelKey('train'), component: TrainPanel, createState: (services) => new TrainingState(services), provide: setTraining }),
  panel({ id: 'gallery', label: 'Gallery', key: panelKey('gallery'), component: GalleryPanel, createState: (services) => new GalleryState(services), provide: setGallery }),
  panel({ id: 'weights', label: 'Weights', key: panelKey('weights'), component: WeightsPanel, createState: (services) => new WeightsState(services), provide: setWeights }),
  panel({ id: 'models', label: 'Models', key: panelKey('models'), component: ModelsPanel, createState: (services) => new ModelsState(services), provide: setModels }),
  panel({ id: 'data', label: 'Data', key: panelKey('data'), component: DataPanel, createState: (services) => new DataState(services), provide: setData }),
  panel({ id: 'runs', label: 'Runs', key: panelKey('runs'), component: RunsPanel, createState: (services) => new RunsState(services), provide: setRuns }),
  panel({ id: 'projector', label: 'Projector', key: panelKey('projector'), component: ProjectorPanel, createState: (services) => new ProjectorState(services), provide: setProjector }),
];

/** The panel a key press selects: Ctrl/⌘ + its digit, with no other modifier. */
export function panelForShortcut(
  panels: readonly PanelDefinition[],
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): PanelDefinition | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  return panels.find((p) => p.key === event.key) ?? null;
}
