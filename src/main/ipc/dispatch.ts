import { boundMessage } from '../../shared/bounded-message';
import { firstIssue } from '../../shared/first-issue';
import { requests, type Handlers, type RequestChannel } from '../../shared/ipc/contract';

export class IpcRequestError extends Error {
  override name = 'IpcRequestError';
  constructor(message: string) {
    super(boundMessage(message));
  }
}

export type Dispatch = (channel: string, args: unknown[]) => Promise<unknown>;

export function isRequestChannel(channel: string): channel is RequestChannel {
  return Object.hasOwn(requests, channel);
}

/**
 * Validates a request against the contract's schema and runs its handler. Both transports use it: the
 * Electron IPC wrapper and the end-to-end test bridge, so tests exercise exactly what the app runs.
 * Every message that leaves here is bounded: they are built from what the window sent.
 */
export function createDispatch(handlers: Handlers): Dispatch {
  return async (channel, args) => {
    if (!isRequestChannel(channel)) throw new IpcRequestError(`unknown channel "${channel}"`);
    const parsed = requests[channel].args.safeParse(args);
    if (!parsed.success) throw new IpcRequestError(`${channel}: invalid argument ${firstIssue(parsed.error)}`);
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
    try {
      return await handler(...(parsed.data as unknown[]));
    } catch (error) {
      throw bounded(error);
    }
  };
}

/** What was thrown when its message is short enough, else an Error of the same name with the message cut. */
function bounded(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const cut = boundMessage(message);
  if (cut === message) return error;
  const copy = new Error(cut);
  if (error instanceof Error) copy.name = error.name;
  return copy;
}
