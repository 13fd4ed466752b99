import { createContext } from 'svelte';
import type { WeightsState } from './weights.svelte';

/** The Weights panel's state: App sets it once (panels/registry.ts). */
export const [getWeights, setWeights] = createContext<WeightsState>();
