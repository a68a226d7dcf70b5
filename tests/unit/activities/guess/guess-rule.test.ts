import { describe, expect, it } from "vitest";
import { applySpaceRule, cleanGuess, explainPieces } from "../../../../server/activities/guess/guess-rule.ts";

describe("the leading-space rule", () => {
  it.each([
    ["a word after a prompt without trailing space gets a space", "He played", "basketball", false, " basketball", true],
    ["a word after a prompt ending in a space is kept as typed", "He played ", "basketball", false, "basketball", false],
    ["punctuation is never given a space", "He played", ",", false, ",", false],
    ["an apostrophe suffix is never given a space", "The dog", "'s", false, "'s", false],
    ["a guess typed with its own leading space is kept", "He played", " ball", false, " ball", false],
    ["an exact guess is tokenized as typed", "He played", "ball", true, "ball", false],
    ["digits count as the start of a word", "It costs", "5", false, " 5", true],
  ])("%s", (_rule, prompt, guess, exact, mapped, added) => {
    expect(applySpaceRule(guess, prompt, exact)).toEqual({ mapped, leadingSpaceAdded: added });
  });

  it("cleans control characters and trailing whitespace, and rejects empty or long guesses", () => {
    expect(cleanGuess("ball\u200B \n")).toEqual({ ok: true, guess: "ball" });
    expect(cleanGuess("   ")).toEqual({ ok: false, code: "guess_empty" });
    expect(cleanGuess("x".repeat(101))).toEqual({ ok: false, code: "guess_too_long" });
  });

  it("explains how a guess splits into tokens", () => {
    expect(explainPieces(" basketball", [{ id: 1, text: " basketball", special: false }])).toBe("' basketball' = 1 token");
    expect(
      explainPieces(" Bourne", [
        { id: 2, text: " B", special: false },
        { id: 3, text: "ourne", special: false },
      ]),
    ).toBe("' Bourne' = ' B' + 'ourne' (2 tokens; the first one counts)");
  });
});
