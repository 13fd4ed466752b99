import { createContext } from 'svelte';
import type { WeightsState } from './weights.svelte';

/** The Weights panel's state, for its sub-components; WeightsPanel sets it from the `state` prop App passes. */
export const [getWeights, setWeights] = createContext<WeightsState>();
