// What counts as a word for filling a blank. Token texts are as they read in running text, so a
// token that begins a new word starts with a space (" basketball") and a continuation does not
// ("ball").

/** Markers such as <s>, </s>, <unk>, <|endoftext|> or a raw byte <0x0A>: not something to write in a blank. */
const MARKER = /^<[^\s<>]{1,40}>$/;

/**
 * Tokens that cannot go in a blank: control markers, raw control bytes and whitespace (line breaks,
 * tabs). A lone space is kept: SentencePiece vocabularies start numbers with it (" " + "1" + "8"…),
 * so it begins a word like " 1879".
 */
export function isNonWord(text: string, special = false): boolean {
  return special || (text !== " " && /^[\s\p{C}]*$/u.test(text)) || MARKER.test(text);
}

/**
 * True when the token would start something new after a word: a leading space, or punctuation
 * ("." "," ")"), so the blank is complete without it. Letters, digits and apostrophes continue.
 */
export function startsNewWord(text: string): boolean {
  const first = text.codePointAt(0);
  if (first === undefined) return true;
  const ch = String.fromCodePoint(first);
  if (/\s/u.test(ch)) return true;
  return !/[\p{L}\p{N}\p{M}'’-]/u.test(ch);
}
