import { createContext } from 'svelte';
import type { DataState } from './data.svelte';

/** The Data tab's state, for its sub-components; DataPanel sets it from the `state` prop App passes. */
export const [getData, setData] = createContext<DataState>();
