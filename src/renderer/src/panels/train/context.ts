import { createContext } from 'svelte';
import type { TrainingState } from './training.svelte';

/** The Train panel's state: App sets it once (panels/registry.ts). */
export const [getTraining, setTraining] = createContext<TrainingState>();
