// A leading and trailing throttle per key: the first call runs at once, later ones at most every
// `ms`, with the latest argument. A thousand phones joining or voting would otherwise send a
// million messages.
export interface Throttle<T> {
  call(key: string, value: T): void;
  forget(key: string): void;
}

export function throttle<T>(ms: number, send: (value: T) => void): Throttle<T> {
  const timers = new Map<string, { timer: NodeJS.Timeout; latest: { value: T } | null }>();
  return {
    call(key, value) {
      const pending = timers.get(key);
      if (pending) {
        pending.latest = { value };
        return;
      }
      send(value);
      const entry = {
        latest: null as { value: T } | null,
        timer: setTimeout(function flush() {
          const latest = entry.latest;
          if (!latest) return void timers.delete(key);
          entry.latest = null;
          send(latest.value);
          entry.timer = setTimeout(flush, ms);
        }, ms),
      };
      timers.set(key, entry);
    },
    forget(key) {
      const pending = timers.get(key);
      if (pending) clearTimeout(pending.timer);
      timers.delete(key);
    },
  };
}
