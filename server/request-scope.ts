import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request memo, so one request reads the data revision once (set by the session read, used by the planning service). */
export const requestScope = new AsyncLocalStorage<{ revision?: Promise<number> }>();
