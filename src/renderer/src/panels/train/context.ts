import { createContext } from 'svelte';
import type { TrainingState } from './training.svelte';

/** The Train panel's state, for its sub-components; TrainPanel sets it from the `state` prop App passes. */
export const [getTraining, setTraining] = createContext<TrainingState>();
