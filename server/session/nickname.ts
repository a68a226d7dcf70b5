// Nickname cleaning: what a projector can show safely, at most 24 visible characters, and never
// two names that look the same.
import { NICKNAME_MAX_GRAPHEMES } from "../../contract/protocol/limits.ts";

// \p{C} covers control, format (zero-width spaces, bidi overrides), unassigned and private-use
// characters; Default_Ignorable adds blank look-alikes such as the Hangul filler; U+2800 (the blank
// Braille pattern) is a symbol that shows as nothing.
const INVISIBLE = /[\p{C}\p{Default_Ignorable_Code_Point}\u2800]/u;
const SPACES = /[\p{Z}\s]+/gu;
const PICTOGRAPH = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}#*0-9]|\u20E3/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Grapheme clusters, so an emoji or a letter with accents counts as one character. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The zero-width joiner and the emoji variation selectors are kept only inside emoji sequences
 * (👩‍💻, ❤️): anywhere else they would make "Ada" and "Ada" + U+200D two different names that look alike.
 */
function keepGlue(chars: string[], i: number): boolean {
  const ch = chars[i]!;
  const before = chars[i - 1];
  if (ch === "\uFE0E" || ch === "\uFE0F") return before !== undefined && PICTOGRAPH.test(before);
  if (ch !== "\u200D") return false;
  let j = i - 1;
  while (j >= 0 && (chars[j] === "\uFE0F" || /[\u{1F3FB}-\u{1F3FF}]/u.test(chars[j]!))) j--;
  const after = chars[i + 1];
  return j >= 0 && /\p{Extended_Pictographic}/u.test(chars[j]!) && after !== undefined && /\p{Extended_Pictographic}/u.test(after);
}

function stripInvisible(text: string): string {
  const chars = [...text];
  return chars.filter((ch, i) => !INVISIBLE.test(ch) || keepGlue(chars, i)).join("");
}

export interface CleanedNickname {
  name: string;
  /** The name was longer than NICKNAME_MAX_GRAPHEMES and was cut. */
  cut: boolean;
}

/** Strips invisible and control characters, collapses spaces, trims, and cuts to 24 graphemes. */
export function cleanNickname(raw: string): CleanedNickname {
  const visible = stripInvisible(raw.normalize("NFC")).replace(SPACES, " ").trim();
  const all = graphemes(visible);
  const name = all.slice(0, NICKNAME_MAX_GRAPHEMES).join("").trim();
  // A name of only joiners or combining marks shows as nothing.
  return /[\p{L}\p{N}\p{S}\p{P}]/u.test(name) ? { name, cut: all.length > NICKNAME_MAX_GRAPHEMES } : { name: "", cut: false };
}

/** Same name for duplicate checks: case and accents do not make "Ana" and "ana" different people. */
export function nicknameKey(name: string): string {
  return name.normalize("NFKC").toLocaleLowerCase("en");
}

/**
 * `name` itself when free, otherwise "name 2", "name 3"... The suffix replaces the end of a long
 * name so the result still fits in 24 graphemes.
 */
export function uniqueNickname(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(nicknameKey(name))) return name;
  const letters = graphemes(name);
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const candidate = letters.slice(0, NICKNAME_MAX_GRAPHEMES - suffix.length).join("").trimEnd() + suffix;
    if (!taken.has(nicknameKey(candidate))) return candidate;
  }
}
