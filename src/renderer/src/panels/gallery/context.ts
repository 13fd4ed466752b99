import { createContext } from 'svelte';
import type { GalleryState } from './gallery.svelte';

/** The Gallery's state: App sets it once (panels/registry.ts). */
export const [getGallery, setGallery] = createContext<GalleryState>();
