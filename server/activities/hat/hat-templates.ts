// Mad Libs templates: text with 2–6 blanks written as ___. Built-in ones come in pairs that differ
// only in the subject, a well-known one and a made-up one, so the class can compare their hats.
import { TEMPLATE_MAX_CHARS } from "../../../contract/protocol/limits.ts";

export const MIN_BLANKS = 2;
export const MAX_BLANKS = 6;
/** A blank takes tokens until the word ends, but never more than this many (a year like " 1879" is five tokens in SentencePiece vocabularies). */
export const DEFAULT_MAX_TOKENS = 6;
export const MAX_TOKENS_LIMIT = 8;

export interface HatTemplate {
  /** Built-in id, or null for one the instructor wrote. */
  id: string | null;
  title: string;
  /** The template as written, with ___ for each blank. */
  text: string;
  /** Literal text around the blanks: segments[k] comes before blank k; the last one ends the story. */
  segments: string[];
  maxTokens: number;
}

export interface BuiltInTemplate extends HatTemplate {
  id: string;
  /** Which side of its pair this template is, and the other side's id. */
  pair: { role: "known" | "made-up"; other: string } | null;
  lesson: string;
}

export type TemplateError = "template_blanks" | "template_start" | "template_too_long" | "template_max_tokens";

const BLANK = /\s*_{3,}/g;

/** Splits a template at its blanks. Spaces before a blank are dropped: the drawn token brings its own. */
export function parseTemplate(
  text: string,
  options: { title?: string; maxTokens?: number; id?: string | null } = {},
): { ok: true; template: HatTemplate } | { ok: false; code: TemplateError } {
  const cleaned = text.replace(/\r\n?/g, "\n").trim();
  if (cleaned.length > TEMPLATE_MAX_CHARS) return { ok: false, code: "template_too_long" };
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) return { ok: false, code: "template_max_tokens" };
  const segments = cleaned.split(BLANK);
  const blanks = segments.length - 1;
  if (blanks < MIN_BLANKS || blanks > MAX_BLANKS) return { ok: false, code: "template_blanks" };
  // The model needs some words to condition on before the first blank.
  if (!/[\p{L}\p{N}]/u.test(segments[0]!)) return { ok: false, code: "template_start" };
  const title = options.title?.trim() || `${segments[0]!.slice(0, 40).trim()} …`;
  return { ok: true, template: { id: options.id ?? null, title, text: cleaned, segments, maxTokens } };
}

function builtIn(id: string, title: string, text: string, lesson: string, pair: BuiltInTemplate["pair"]): BuiltInTemplate {
  const parsed = parseTemplate(text, { title, id });
  if (!parsed.ok) throw new Error(`built-in template ${id} is invalid: ${parsed.code}`);
  return { ...parsed.template, id, pair, lesson };
}

export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = [
  builtIn(
    "einstein",
    "Albert Einstein (well known)",
    "Albert Einstein was born in ___. He worked as a ___ and he is famous for his ___.",
    "A subject the training data knows well: the hats are peaked and the stories agree.",
    { role: "known", other: "blake-bourne" },
  ),
  builtIn(
    "blake-bourne",
    "Blake Bourne (made up)",
    "Blake Bourne was born in ___. He worked as a ___ and he is famous for his ___.",
    "The same sentence about a name nobody has heard of: flat hats, Mad Libs, confident-sounding fiction.",
    { role: "made-up", other: "einstein" },
  ),
  builtIn(
    "babe-ruth",
    "Babe Ruth (well known)",
    "Babe Ruth competes professionally as a ___ player. He was born in ___ and he plays for the ___.",
    "Specific patterns: the model has read about this name many times, so the first hat is nearly all one sport.",
    { role: "known", other: "blake-bourne-sport" },
  ),
  builtIn(
    "blake-bourne-sport",
    "Blake Bourne the athlete (made up)",
    "Blake Bourne competes professionally as a ___ player. He was born in ___ and he plays for the ___.",
    "General patterns only: any sport, any city, any team will do.",
    { role: "made-up", other: "babe-ruth" },
  ),
  builtIn(
    "capitals",
    "Capital cities (facts seen often)",
    "The capital of France is ___, the capital of Italy is ___, and the capital of Japan is ___.",
    "Facts the training text repeats in many phrasings: most hats hold one token on most slips.",
    null,
  ),
  builtIn(
    "once-upon",
    "Once upon a time (story)",
    "Once upon a time, there was a little ___ named ___. Every day, she liked to ___ in the ___.",
    "An open story: every blank has many good answers, so the stories diverge fast.",
    null,
  ),
];

export const builtInTemplate = (id: string): BuiltInTemplate | undefined => BUILT_IN_TEMPLATES.find((t) => t.id === id);

export const blankCount = (template: Pick<HatTemplate, "segments">): number => template.segments.length - 1;
