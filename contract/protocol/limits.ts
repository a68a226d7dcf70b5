// Sizes the pages and the server agree on, and the one check for text the database can store.
import { z } from "zod";

/** Bumped whenever an event or payload changes incompatibly; a mismatch gets `protocol_mismatch`. */
export const PROTOCOL_VERSION = 2;

/** The socket.io namespace every live-session socket connects to: `io("/session", { auth })`. */
export const SESSION_NAMESPACE = "/session";

/** Room codes avoid characters that read alike: no 0/O, 1/I/L, 5/S, 2/Z, 8/B. */
export const ROOM_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY";
export const ROOM_CODE_LENGTH = 6;

export const NICKNAME_MAX_GRAPHEMES = 24;
export const GUESS_MAX_CHARS = 100;
/** A calibration answer: a word or two. */
export const ANSWER_MAX_CHARS = 60;
/** A prompt must fit the projector in type the back row can read. */
export const PROMPT_MAX_CHARS = 300;
export const TEMPLATE_MAX_CHARS = 600;
export const SLIDE_BODY_MAX_CHARS = 600;
export const NOTES_MAX_CHARS = 2000;
export const PLAN_MAX_STEPS = 40;
export const HISTOGRAM_MAX_BARS = 40;
/** Phones get the reveal's top tokens and bars cut to this many; the projector and host get all. */
export const PHONE_REVEAL_ITEMS = 10;

// A lone UTF-16 surrogate or a NUL cannot be stored as PostgreSQL text: one such row would fail
// the whole group insert it shares with other students' rows. Refused at the edge instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !LONE_SURROGATE.test(text);
}

/** A string the database can store, at most `max` characters (counted in code points). */
export function storableText(max: number, tooLong: string = "bad_payload") {
  return z
    .string()
    .refine(isStorableText, "bad_payload")
    .refine((s) => [...s].length <= max, tooLong);
}
