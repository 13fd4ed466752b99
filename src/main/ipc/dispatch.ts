import { requests, type Handlers, type RequestChannel } from '../../shared/ipc/contract';

export class IpcRequestError extends Error {
  override name = 'IpcRequestError';
}

export type Dispatch = (channel: string, args: unknown[]) => Promise<unknown>;

export function isRequestChannel(channel: string): channel is RequestChannel {
  return Object.hasOwn(requests, channel);
}

/**
 * Validates a request against the contract's schema and runs its handler. Both transports use it: the
 * Electron IPC wrapper and the end-to-end test bridge, so tests exercise exactly what the app runs.
 */
export function createDispatch(handlers: Handlers): Dispatch {
  return async (channel, args) => {
    if (!isRequestChannel(channel)) throw new IpcRequestError(`unknown channel "${channel}"`);
    const parsed = requests[channel].args.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new IpcRequestError(`${channel}: invalid argument at ${issue.path.join('.') || 'top level'}: ${issue.message}`);
    }
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
    return handler(...(parsed.data as unknown[]));
  };
}
