// How a typed guess becomes the text that is tokenized, and how its tokens are described.
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { GuessPieces, TokenView } from "../../../contract/protocol/guess.ts";
import { GUESS_MAX_CHARS } from "../../../contract/protocol/limits.ts";

const CONTROL = /[\p{Cc}\p{Cf}]/gu;

export type CleanGuess = { ok: true; guess: string } | { ok: false; code: ErrorCode };

/** Drops control characters and trailing whitespace; leading spaces are kept when typed on purpose. */
export function cleanGuess(raw: string): CleanGuess {
  const guess = raw.normalize("NFC").replace(CONTROL, "").trimEnd();
  if (guess.trim() === "") return { ok: false, code: "guess_empty" };
  if ([...guess].length > GUESS_MAX_CHARS) return { ok: false, code: "guess_too_long" };
  return { ok: true, guess };
}

/** True when a word typed after this prompt must start with a space to be the next word. */
export function promptNeedsSpace(prompt: string): boolean {
  return prompt !== "" && !/\s$/u.test(prompt);
}

/**
 * The leading-space rule. Tokenizers fold the space before a word into the word's token (" Paris",
 * not "Paris"), but people type words without it. So when the prompt does not end in whitespace and
 * the guess starts with a letter or digit, a space is added in front. Punctuation ("," or "'s"), a
 * guess typed with its own leading space, and `exact` guesses are tokenized as typed.
 */
export function applySpaceRule(guess: string, prompt: string, exact: boolean): { mapped: string; leadingSpaceAdded: boolean } {
  const add = !exact && promptNeedsSpace(prompt) && /^[\p{L}\p{N}]/u.test(guess);
  return add ? { mapped: ` ${guess}`, leadingSpaceAdded: true } : { mapped: guess, leadingSpaceAdded: false };
}

export const SPACE_RULE_TEXT =
  "A space was added in front, because the next word after this prompt starts with a space. Send it exactly as typed to skip this.";

const quote = (text: string) => `'${text}'`;

/** "' basketball' = 1 token" or "' Bourne' = ' B' + 'ourne' (2 tokens; the first one counts)". */
export function explainPieces(mapped: string, tokens: readonly TokenView[]): string {
  if (tokens.length <= 1) return `${quote(mapped)} = 1 token`;
  return `${quote(mapped)} = ${tokens.map((t) => quote(t.text)).join(" + ")} (${tokens.length} tokens; the first one counts)`;
}

export function guessPieces(guess: string, mapped: string, leadingSpaceAdded: boolean, tokens: TokenView[]): GuessPieces {
  return { guess, mapped, leadingSpaceAdded, tokens, explanation: explainPieces(mapped, tokens) };
}
