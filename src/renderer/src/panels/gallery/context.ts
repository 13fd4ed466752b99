import { createContext } from 'svelte';
import type { GalleryState } from './gallery.svelte';

/** The Gallery's state, for its sub-components; GalleryPanel sets it from the `state` prop App passes. */
export const [getGallery, setGallery] = createContext<GalleryState>();
