import { describe, expect, it } from "vitest";
import { PrefixCache } from "../../../workers/inference/prefix-cache.ts";

describe("prefix cache", () => {
  it("finds the longest cached prefix of a sequence", () => {
    const cache = new PrefixCache<string>(1000);
    cache.set([1, 2], "two", 10);
    cache.set([1, 2, 3], "three", 10);
    cache.set([1, 9], "other", 10);
    expect(cache.longestPrefix([1, 2, 3, 4])?.value).toBe("three");
    expect(cache.longestPrefix([1, 2, 5])?.value).toBe("two");
    expect(cache.longestPrefix([1, 2, 3])?.value).toBe("three");
    expect(cache.longestPrefix([7])).toBeNull();
  });

  it("evicts the least recently used entries to stay under its byte budget", () => {
    const cache = new PrefixCache<string>(25);
    cache.set([1], "a", 10);
    cache.set([2], "b", 10);
    cache.longestPrefix([1]); // a is now more recent than b
    cache.set([3], "c", 10);
    expect(cache.longestPrefix([2])).toBeNull();
    expect(cache.longestPrefix([1])?.value).toBe("a");
    expect(cache.longestPrefix([3])?.value).toBe("c");
    expect(cache.bytes).toBe(20);
  });

  it("does not keep an entry larger than the whole budget", () => {
    const cache = new PrefixCache<string>(5);
    cache.set([1], "big", 6);
    expect(cache.size).toBe(0);
  });

  it("replaces an entry for the same ids without double-counting bytes", () => {
    const cache = new PrefixCache<string>(100);
    cache.set([4, 5], "old", 30);
    cache.set([4, 5], "new", 40);
    expect(cache.bytes).toBe(40);
    expect(cache.longestPrefix([4, 5])?.value).toBe("new");
  });

  it("copies the ids it stores, so later mutation of the caller's array is harmless", () => {
    const cache = new PrefixCache<string>(100);
    const ids = [1, 2, 3];
    cache.set(ids, "x", 1);
    ids[2] = 99;
    expect(cache.longestPrefix([1, 2, 3])?.value).toBe("x");
  });
});
