import { describe, expect, it } from "vitest";
import { cleanNickname, graphemes, uniqueNickname, nicknameKey } from "../../../server/session/nickname.ts";

describe("cleanNickname", () => {
  it.each([
    ["trims and collapses inner spaces", "   Ada \t  Lovelace  ", "Ada Lovelace"],
    ["strips zero-width and bidi control characters", "A\u200Bd\u202Ea\u0007", "Ada"],
    ["strips the Hangul filler used for blank-looking names", "\u3164Bo\u3164", "Bo"],
    ["keeps emoji sequences joined by ZWJ whole", "👩‍💻 dev", "👩‍💻 dev"],
    ["a name of only invisible characters becomes empty", "\u200B\u200D\u2060 ", ""],
    ["a name of only combining marks becomes empty", "\u0301\u0301", ""],
    ["drops a joiner outside an emoji, so 'Ada' + ZWJ is the same name as 'Ada'", "Ada\u200D", "Ada"],
    ["drops a variation selector after a letter", "Bo\uFE0F", "Bo"],
    ["keeps the emoji variation selector", "❤\uFE0F Bo", "❤\uFE0F Bo"],
    ["a name of only blank Braille patterns (U+2800) becomes empty", "\u2800\u2800\u2800", ""],
    ["strips blank Braille patterns around a name", "\u2800Bo\u2800", "Bo"],
  ])("%s", (_rule, raw, expected) => {
    expect(cleanNickname(raw).name).toBe(expected);
  });

  it("cuts to 24 visible characters, counting an emoji or an accented letter as one", () => {
    const long = "é".repeat(10) + "👍🏽".repeat(10) + "abcdefgh";
    const cleaned = cleanNickname(long);
    expect(graphemes(cleaned.name)).toHaveLength(24);
    expect(cleaned.name.startsWith("é".repeat(10) + "👍🏽".repeat(10))).toBe(true);
    expect(cleaned.cut).toBe(true);
    expect(cleanNickname("Ada").cut).toBe(false);
  });
});

describe("uniqueNickname", () => {
  const taken = (...names: string[]) => new Set(names.map(nicknameKey));

  it("keeps a free name", () => expect(uniqueNickname("Ada", taken("Bo"))).toBe("Ada"));
  it("adds ' 2' to a duplicate, ignoring case", () => expect(uniqueNickname("ada", taken("Ada"))).toBe("ada 2"));
  it("counts up past taken suffixes", () => expect(uniqueNickname("Ada", taken("Ada", "Ada 2", "Ada 3"))).toBe("Ada 4"));
  it("shortens a 24-character name so the suffix still fits", () => {
    const name = "x".repeat(24);
    const result = uniqueNickname(name, taken(name));
    expect(result).toBe("x".repeat(22) + " 2");
    expect(graphemes(result)).toHaveLength(24);
  });
});
