import { createContext } from 'svelte';
import type { RunsState } from './runs.svelte';

/** The Runs panel's state: App sets it once (panels/registry.ts). */
export const [getRuns, setRuns] = createContext<RunsState>();
