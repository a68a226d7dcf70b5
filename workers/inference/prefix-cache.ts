// An LRU of per-prefix model state, bounded by bytes, that finds the longest cached prefix of a
// token sequence in O(n): extending a cached prefix by one token then costs one model step.

export interface CachedPrefix<T> {
  ids: readonly number[];
  value: T;
  bytes: number;
}

/** Keys for every prefix length of `ids`: two independent 32-bit polynomial hashes plus the length. */
function prefixKeys(ids: readonly number[]): string[] {
  const keys: string[] = [];
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]! + 1;
    h1 = (Math.imul(h1, 0x01000193) + id) | 0;
    h2 = (Math.imul(h2 ^ id, 0x5bd1e995) + (h2 >>> 13)) | 0;
    keys.push(`${i + 1}:${h1}:${h2}`);
  }
  return keys;
}

function sameIds(a: readonly number[], b: readonly number[], length: number): boolean {
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class PrefixCache<T> {
  // A Map iterates in insertion order; re-inserting on use makes the first key the least recent.
  private readonly entries = new Map<string, CachedPrefix<T>>();
  private totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached entry whose ids are the longest prefix of `ids` (possibly all of it), or null. */
  longestPrefix(ids: readonly number[]): CachedPrefix<T> | null {
    const keys = prefixKeys(ids);
    for (let length = ids.length; length >= 1; length--) {
      const key = keys[length - 1]!;
      const entry = this.entries.get(key);
      if (entry && entry.ids.length === length && sameIds(entry.ids, ids, length)) {
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry;
      }
    }
    return null;
  }

  set(ids: readonly number[], value: T, bytes: number): void {
    if (ids.length === 0 || bytes > this.maxBytes) return;
    const key = prefixKeys(ids)[ids.length - 1]!;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.totalBytes -= old.bytes;
    }
    this.entries.set(key, { ids: [...ids], value, bytes });
    this.totalBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.totalBytes -= entry.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }
}
