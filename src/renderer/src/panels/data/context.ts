import { createContext } from 'svelte';
import type { DataState } from './data.svelte';

/** The Data tab's state: App sets it once (panels/registry.ts). */
export const [getData, setData] = createContext<DataState>();
