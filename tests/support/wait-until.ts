// Waiting in tests for something a socket will deliver: `check` is tried now and whenever the
// owner of `waiters` calls them (on every message), until it returns a value or time runs out.

export function waitUntil<T>(waiters: Set<() => void>, check: () => T | null, timeoutMs: number, what: () => string): Promise<T> {
  const now = check();
  if (now) return Promise.resolve(now);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(poll);
      reject(new Error(`timed out waiting for ${what()}`));
    }, timeoutMs);
    const poll = () => {
      const value = check();
      if (!value) return;
      clearTimeout(timer);
      waiters.delete(poll);
      resolve(value);
    };
    waiters.add(poll);
  });
}
