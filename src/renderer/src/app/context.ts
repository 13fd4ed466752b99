import { createContext } from 'svelte';
import type { AppState } from './app-state.svelte';
import type { Classifier } from './classifier.svelte';
import type { Drawing } from './drawing.svelte';
import type { Drops } from './drops.svelte';
import type { SpecHandoff } from './spec-handoff.svelte';
import type { Handwriting } from './handwriting.svelte';
import type { PanelActions } from './panel-actions';

/** The app-wide state every panel and the status bar share; App creates it once. */
export interface Services {
  app: AppState;
  classifier: Classifier;
  /** Owned by App, not the Draw panel, so a drawing survives a visit to another tab. */
  drawing: Drawing;
  /** Files dropped on the window, routed to the Data or the Models panel's import. */
  drops: Drops;
  /** A run's settings on their way from the Runs tab to the Train tab (Re-run). */
  handoff: SpecHandoff;
  /** Your handwriting: collected in Draw, shown in Data, measured and fine-tuned on in the Gallery. */
  handwriting: Handwriting;
  /** What the application menu asks of a panel (import, export), registered by the panel's state. */
  actions: PanelActions;
}

export const [getServices, setServices] = createContext<Services>();
