import { createContext } from 'svelte';
import type { ProjectorState } from './projector.svelte';

export const [getProjector, setProjector] = createContext<ProjectorState>();
