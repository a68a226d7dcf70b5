import { describe, expect, it } from "vitest";
import { buildPhraseIndex, phraseWords } from "../../../server/training-data/phrase-index.ts";

const lines = [
  "Albert Einstein was a physicist born in Germany.",
  "Einstein was a physicist; Einstein was also a violinist.",
  "Once upon a time there was a king.",
  "He was a king. Was a",
  "a physicist",
];
const index = await buildPhraseIndex(lines);

describe("phrase index", () => {
  it("splits words case-insensitively and keeps apostrophes inside words", () => {
    expect(phraseWords("Don't STOP, Einstein’s dog")).toEqual(["don't", "stop", "einstein's", "dog"]);
  });

  it.each([
    ["Einstein", 3, 2],
    ["einstein was a", 2, 2],
    ["was a physicist", 2, 2],
    ["a physicist", 3, 3],
    ["Blake Bourne", 0, 0],
    ["", 0, 0],
  ])("counts %j: %i occurrences in %i lines", (phrase, count, lineCount) => {
    const r = index.search(phrase);
    expect(r.count).toBe(count);
    expect(r.lines).toBe(lineCount);
  });

  it("does not match a phrase across two lines", () => {
    // Line 4 ends with "was a" and line 5 starts with "a physicist": "was a a" must not match.
    expect(index.search("was a a").count).toBe(0);
  });

  it("returns at most the requested examples, with the match located", () => {
    const r = index.search("was a", 2);
    expect(r.examples).toHaveLength(2);
    const hit = r.examples[0]!;
    expect(hit.text.slice(...hit.match!)).toBe("was a");
  });

  it("lets timers run while a large text is indexed, and counts the same as the small one", async () => {
    const many = Array.from({ length: 40_000 }, (_, i) => lines[i % lines.length]!);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const big = await buildPhraseIndex(many);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(1);
    expect(big.search("einstein was a").count).toBe(2 * 8_000);
  });
});
