import { apiTables } from '../../src/shared/ipc/contract';

/**
 * The page side of the test bridge, as plain JavaScript run before the app's own scripts: it builds
 * window.api with the same verbs and subscriptions the preload exposes, over Playwright bindings instead
 * of Electron IPC. Binary values cross as tagged base64 because the binding channel carries JSON.
 */
export function bridgeInitScript(): string {
  return `(() => {
  const verbs = ${JSON.stringify(apiTables.verbs)};
  const subscriptions = ${JSON.stringify(apiTables.subscriptions)};
  const listeners = new Map();
  const decode = (value) => {
    if (Array.isArray(value)) return value.map(decode);
    if (value && typeof value === 'object') {
      if (typeof value.__bytes === 'string') {
        // Native base64 where the browser has it: a byte loop over a weight snapshot is a long task that
        // Electron's structured clone never costs the app, and would skew the frames bench.
        let bytes;
        if (typeof Uint8Array.fromBase64 === 'function') bytes = Uint8Array.fromBase64(value.__bytes);
        else {
          const raw = atob(value.__bytes);
          bytes = new Uint8Array(raw.length);
          for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
        }
        if (value.kind === 'ArrayBuffer') return bytes.buffer;
        const Kind = globalThis[value.kind];
        return new Kind(bytes.buffer, 0, bytes.byteLength / Kind.BYTES_PER_ELEMENT);
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
    }
    return value;
  };
  const api = {};
  for (const [verb, channel] of Object.entries(verbs)) {
    api[verb] = async (...args) => {
      const reply = await window.__mlpLabInvoke(channel, args);
      if (reply.error) throw new Error(reply.error);
      return decode(reply.value);
    };
  }
  for (const [name, event] of Object.entries(subscriptions)) {
    api[name] = (listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload) => listener(payload);
      set.add(wrapped);
      return () => set.delete(wrapped);
    };
  }
  // The harness's dropFiles() names each file it drops after the path it stands for; the preload asks
  // Electron's webUtils instead.
  const dropped = new Map();
  Object.defineProperty(window, '__mlpLabDropped', { value: dropped });
  api.pathsForFiles = (files) => Array.from(files, (file) => dropped.get(file.name) ?? '');
  Object.defineProperty(window, '__mlpLabEmit', {
    value: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(decode(payload));
    },
  });
  Object.defineProperty(window, 'api', { value: Object.freeze(api) });
})();`;
}

/** Tags ArrayBuffers and typed arrays as base64 so they survive the JSON binding channel. */
export function encodeForPage(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { __bytes: Buffer.from(value).toString('base64'), kind: 'ArrayBuffer' };
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { __bytes: bytes.toString('base64'), kind: value.constructor.name };
  }
  if (Array.isArray(value)) return value.map(encodeForPage);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeForPage(v)]));
  }
  return value;
}
