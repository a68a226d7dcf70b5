import { describe, expect, it } from "vitest";
import { BUILT_IN_TEMPLATES, blankCount, builtInTemplate, parseTemplate } from "../../../../server/activities/hat/hat-templates.ts";
import { isNonWord, startsNewWord } from "../../../../server/activities/hat/word-boundary.ts";

describe("templates", () => {
  it("splits at each ___ and drops the spaces before a blank", () => {
    const parsed = parseTemplate("Blake Bourne competes professionally as a ___. He was born in ___ .");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.template.segments).toEqual(["Blake Bourne competes professionally as a", ". He was born in", " ."]);
    expect(blankCount(parsed.template)).toBe(2);
    expect(parsed.template.maxTokens).toBe(6);
  });

  it("accepts 2 to 6 blanks and says why otherwise", () => {
    expect(parseTemplate("One ___ only.")).toEqual({ ok: false, code: "template_blanks" });
    expect(parseTemplate("a ___ b ___ c ___ d ___ e ___ f ___ g ___")).toEqual({ ok: false, code: "template_blanks" });
    expect(parseTemplate("a ___ b ___ c ___ d ___ e ___ f ___").ok).toBe(true);
    expect(parseTemplate("No blanks at all")).toEqual({ ok: false, code: "template_blanks" });
  });

  it("needs words before the first blank, a sane length and 1–8 tokens per blank", () => {
    expect(parseTemplate("___ was born in ___")).toEqual({ ok: false, code: "template_start" });
    expect(parseTemplate(`${"word ".repeat(130)}___ and ___`)).toEqual({ ok: false, code: "template_too_long" });
    expect(parseTemplate("He was a ___ in ___", { maxTokens: 0 })).toEqual({ ok: false, code: "template_max_tokens" });
    expect(parseTemplate("He was a ___ in ___", { maxTokens: 9 })).toEqual({ ok: false, code: "template_max_tokens" });
  });

  it("reads four or more underscores as one blank", () => {
    const parsed = parseTemplate("She saw a _____ and a ____.");
    expect(parsed.ok && parsed.template.segments).toEqual(["She saw a", " and a", "."]);
  });

  it("ships paired known/made-up subjects and a nursery rhyme, all valid", () => {
    for (const t of BUILT_IN_TEMPLATES) {
      expect(blankCount(t)).toBeGreaterThanOrEqual(2);
      if (t.pair) {
        const other = builtInTemplate(t.pair.other);
        expect(other?.pair?.other).toBe(t.id);
        expect(other?.pair?.role).not.toBe(t.pair.role);
        // The two sides differ only in the subject, so their hats are comparable blank by blank.
        expect(blankCount(other!)).toBe(blankCount(t));
      }
    }
    expect(builtInTemplate("capitals")?.segments[0]).toBe("The capital of France is");
  });
});

describe("word boundaries", () => {
  it("a leading space or punctuation starts something new; letters continue the word", () => {
    expect(startsNewWord(" basketball")).toBe(true);
    expect(startsNewWord(".")).toBe(true);
    expect(startsNewWord(",")).toBe(true);
    expect(startsNewWord("\n")).toBe(true);
    expect(startsNewWord("ball")).toBe(false);
    expect(startsNewWord("'s")).toBe(false);
    expect(startsNewWord("é")).toBe(false);
    expect(startsNewWord("")).toBe(true);
  });

  it("markers and whitespace are not words", () => {
    for (const t of ["<s>", "</s>", "<unk>", "<|endoftext|>", "<0x0A>", "\n", "  ", " \n", "\t"]) expect(isNonWord(t)).toBe(true);
    for (const t of [" Paris", "ball", ".", " <", " "]) expect(isNonWord(t)).toBe(false);
    expect(isNonWord(" Paris", true)).toBe(true);
  });
});
