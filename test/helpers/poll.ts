// Waiting in tests for what another process, a server or the event loop does: poll with a
// deadline that is an upper bound, never the time the thing is expected to take, so a slow or
// busy CI machine takes longer instead of failing.
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reads until `done` holds of the value or `ms` pass, every `everyMs`; the last value read. */
export async function settles<T>(read: () => T | Promise<T>, done: (v: T) => boolean, ms = 10_000, everyMs = 25): Promise<T> {
  const until = Date.now() + ms;
  let v = await read();
  while (!done(v) && Date.now() < until) {
    await sleep(everyMs);
    v = await read();
  }
  return v;
}

/** Polls `check` until it holds or `ms` pass, every `everyMs`; whether it held. */
export const eventually = (check: () => boolean | Promise<boolean>, ms = 10_000, everyMs = 25): Promise<boolean> => settles(check, (held) => held, ms, everyMs);
