/** The header's tabs, in order. A panel appears by getting `available: true` and an entry in App's table. */
export const TABS = [
  { id: 'draw', label: 'Draw', available: true },
  { id: 'train', label: 'Train', available: true },
  { id: 'gallery', label: 'Gallery', available: false },
  { id: 'weights', label: 'Weights', available: false },
  { id: 'models', label: 'Models', available: false },
  { id: 'data', label: 'Data', available: false },
] as const satisfies readonly { id: string; label: string; available: boolean }[];

export type TabId = (typeof TABS)[number]['id'];

export interface TabInfo {
  id: TabId;
  label: string;
  available: boolean;
}
