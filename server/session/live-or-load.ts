// Rooms (and their hat games) live in memory once used; the first request after a restart loads
// them from the database, and requests arriving meanwhile share that one load.

/** The live entry for `code`, or the one load of it that every caller asking meanwhile shares. */
export function liveOrLoad<T>(
  live: ReadonlyMap<string, T>,
  loading: Map<string, Promise<T | null>>,
  code: string,
  load: (code: string) => Promise<T | null>,
): Promise<T | null> {
  const found = live.get(code);
  if (found) return Promise.resolve(found);
  let pending = loading.get(code);
  if (!pending) {
    pending = load(code).finally(() => loading.delete(code));
    loading.set(code, pending);
  }
  return pending;
}
