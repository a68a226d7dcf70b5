import { describe, expect, it } from "vitest";
import {
  entropyMeaning,
  formatJoint,
  formatProb,
  percentLabel,
  perplexityMeaning,
  plainText,
  showToken,
  surpriseMeaning,
  tokenLabels,
} from "../../../app/_lib/format.ts";

describe("numbers a 14-year-old can read", () => {
  it.each([
    [0.7373, "73.7%"],
    [0.05, "5.00%"],
    [0.0012, "0.12%"],
    [0.00039, "1 in 2,600"],
    [7.1e-8, "1 in 14 million"],
    [3e-11, "1 in 33 billion"],
    [0, "0%"],
  ])("formatProb(%f) = %s", (p, text) => expect(formatProb(p)).toBe(text));

  it("keeps a joint probability readable after it underflows a double, without scientific notation", () => {
    expect(formatJoint(Math.log2(0.2))).toBe("20.0%");
    expect(formatJoint(-40)).toBe("1 in 1.1 trillion");
    expect(formatJoint(-2000)).toBe("1 in a number with 603 digits");
    for (const bits of [-10, -25, -60, -300]) expect(formatJoint(bits)).not.toMatch(/\d[eE]|×|[⁰¹²³⁴⁵⁶⁷⁸⁹]/);
  });

  it("says what entropy, surprise and perplexity mean", () => {
    expect(entropyMeaning(2)).toBe("like choosing among about 4 equally likely words");
    expect(entropyMeaning(0.05)).toMatch(/nearly sure/);
    // 2^0.5 ≈ 1.4 rounds to one word: no "about 1 equally likely words".
    expect(entropyMeaning(0.5)).toBe("nearly sure: almost one possible word");
    expect(perplexityMeaning(1.1)).toBe("like knowing almost every next word");
    expect(surpriseMeaning(0.5)).toBe("the model gave it about a 71% chance (lower is better)");
    expect(surpriseMeaning(4.17)).toBe("the model gave it about a 1 in 18 chance (lower is better)");
    expect(perplexityMeaning(31.6)).toBe("like choosing among about 32 words at each step");
  });

  it("never labels a real chance as 0", () => {
    expect(percentLabel(0.001)).toBe("<1");
    expect(percentLabel(0.5)).toBe("50");
  });
});

describe("tokens as a class reads them", () => {
  it("shows a leading space as a visible mark and names a lone space", () => {
    expect(showToken(" Bourne")).toBe("␣Bourne");
    expect(showToken(" ")).toBe("␣ (a space)");
  });

  it("shows byte-fallback runs as the character they make", () => {
    // 🐟 is F0 9F 90 9F; Ö is C3 96.
    expect(tokenLabels(["A", "<0xF0>", "<0x9F>", "<0x90>", "<0x9F>", "<0xC3>", "<0x96>"])).toEqual(["A", "🐟", "+", "+", "+", "Ö", "+"]);
    expect(plainText([" a", "<0xC3>", "<0x96>", "x"]).join("")).toBe(" aÖx");
  });

  it("names a byte piece that does not make a character on its own", () => {
    expect(showToken("<0xF0>")).toBe("start of a letter or emoji");
    expect(tokenLabels(["<0xF0>", "<0x9F>"])).toEqual(["start of a letter or emoji", "part of a letter or emoji"]);
  });
});
