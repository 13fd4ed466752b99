import { createContext } from 'svelte';
import type { TrainingState } from '../state/training.svelte';

/** The window's one TrainingState: App creates it so the curves outlive a switch to another tab. */
export const [getTraining, setTraining] = createContext<TrainingState>();
