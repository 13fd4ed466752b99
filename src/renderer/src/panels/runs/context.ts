import { createContext } from 'svelte';
import type { RunsState } from './runs.svelte';

export const [getRuns, setRuns] = createContext<RunsState>();
