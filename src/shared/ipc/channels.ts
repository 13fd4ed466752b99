import type { EventChannel, RequestChannel } from './contract';

/**
 * Which verb of window.api calls which channel. Kept apart from the contract's schemas so the sandboxed
 * preload bundles these two tables and nothing else.
 */
export const verbs = {
  getAppInfo: 'app:get-info',
  getActiveModel: 'model:get-active',
  listDatasets: 'dataset:list',
  getSamples: 'dataset:get-samples',
} as const satisfies Record<string, RequestChannel>;

/** The subscriptions window.api offers, each bound to one event channel. */
export const subscriptions = {
  onModelChanged: 'model:changed',
} as const satisfies Record<string, EventChannel>;
