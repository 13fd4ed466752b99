import { createContext } from 'svelte';
import type { ProjectorState } from './projector.svelte';

/** The Projector's state: App sets it once (panels/registry.ts). */
export const [getProjector, setProjector] = createContext<ProjectorState>();
