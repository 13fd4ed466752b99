import type { Api, ApiTables, LocalApi } from '../shared/ipc/contract';

export type Invoke = (channel: string, args: unknown[]) => Promise<unknown>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

/**
 * window.api from the contract's names (`apiTables`): one function per verb, one per subscription, and
 * the few functions the preload answers itself (`local`). The transport is injected, so the preload, the
 * e2e bridge and tests share this exact shape.
 */
export function buildApi(tables: ApiTables, invoke: Invoke, subscribe: Subscribe, local: LocalApi): Api {
  const api: Record<string, unknown> = { pathsForFiles: local.pathsForFiles };
  for (const [verb, channel] of Object.entries(tables.verbs)) {
    api[verb] = (...args: unknown[]) => invoke(channel, args);
  }
  for (const [name, event] of Object.entries(tables.subscriptions)) {
    api[name] = (listener: unknown) => {
      // Checked here rather than when the first event arrives, where the error would land in main's log.
      if (typeof listener !== 'function') throw new TypeError(`${name} expects a listener function`);
      return subscribe(event, listener as (payload: unknown) => void);
    };
  }
  return Object.freeze(api) as unknown as Api;
}
