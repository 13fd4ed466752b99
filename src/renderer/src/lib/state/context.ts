import { createContext } from 'svelte';
import type { AppState } from './app-state.svelte';
import type { Classifier } from './classifier.svelte';

/** The app-wide state every panel and the status bar share; App creates it once. */
export interface Services {
  app: AppState;
  classifier: Classifier;
}

export const [getServices, setServices] = createContext<Services>();
