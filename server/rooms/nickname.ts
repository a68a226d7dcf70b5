// Nickname cleaning: what a projector can show safely, at most 24 visible characters.
import { NICKNAME_MAX_GRAPHEMES } from "../protocol/room-protocol.ts";

// \p{C} covers control, format (zero-width spaces, bidi overrides), unassigned and private-use
// characters; Default_Ignorable adds blank look-alikes such as the Hangul filler. The zero-width
// joiner and the emoji variation selectors are kept so emoji sequences stay whole.
const INVISIBLE = /[\p{C}\p{Default_Ignorable_Code_Point}]/gu;
const EMOJI_GLUE = new Set(["\u200D", "\uFE0E", "\uFE0F"]);
const SPACES = /[\p{Z}\s]+/gu;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Grapheme clusters, so an emoji or a letter with accents counts as one character. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Strips invisible and control characters, collapses spaces, trims, and cuts to 24 graphemes. */
export function cleanNickname(raw: string): string {
  const visible = raw.normalize("NFC").replace(INVISIBLE, (ch) => (EMOJI_GLUE.has(ch) ? ch : "")).replace(SPACES, " ").trim();
  const cut = graphemes(visible).slice(0, NICKNAME_MAX_GRAPHEMES).join("").trim();
  // A name of only joiners or combining marks shows as nothing.
  return /[\p{L}\p{N}\p{S}\p{P}]/u.test(cut) ? cut : "";
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
