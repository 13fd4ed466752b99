import { createContext } from 'svelte';
import type { ModelsState } from './models.svelte';

/** The Models panel's state: App sets it once (panels/registry.ts). */
export const [getModels, setModels] = createContext<ModelsState>();
