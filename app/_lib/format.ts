// Numbers and tokens as a class reads them: percentages for real chances, "1 in 14 million" for tiny
// ones (never scientific notation), and a one-line meaning for every figure a student sees.

const BIG = [
  { at: 1e12, word: "trillion" },
  { at: 1e9, word: "billion" },
  { at: 1e6, word: "million" },
];

/** "1 in 14 million" for a chance of 1/n, with n rounded to two significant digits. */
function oneInN(log10n: number): string {
  if (log10n >= 15) return `1 in a number with ${Math.floor(log10n) + 1} digits`;
  const n = Number((10 ** log10n).toPrecision(2));
  const big = BIG.find((b) => n >= b.at);
  if (big) return `1 in ${Number((n / big.at).toPrecision(2))} ${big.word}`;
  return `1 in ${n.toLocaleString("en-US")}`;
}

/** A probability: percentages down to 0.1%, then "1 in N". */
export function formatProb(p: number): string {
  if (!Number.isFinite(p)) return "–";
  if (p === 0) return "0%";
  if (p >= 0.1) return `${(p * 100).toFixed(1)}%`;
  if (p >= 0.001) return `${(p * 100).toFixed(2)}%`;
  return oneInN(-Math.log10(p));
}

/** A joint probability from its log2, which stays exact long after 2^log2 underflows to 0. */
export function formatJoint(log2Prob: number): string {
  if (log2Prob >= Math.log2(0.001)) return formatProb(2 ** log2Prob);
  return oneInN(-log2Prob * Math.log10(2));
}

export const formatBits = (bits: number | null | undefined): string => (bits == null || !Number.isFinite(bits) ? "–" : `${bits.toFixed(1)} bits`);

/** About how many equally likely words a number of bits is worth (2^bits), rounded for reading. */
function wordsFor(bits: number): string {
  const n = 2 ** bits;
  return n < 10 ? String(Math.max(1, Math.round(n))) : n < 1000 ? String(Math.round(n)) : Number(n.toPrecision(2)).toLocaleString("en-US");
}

/** Entropy in words: "like choosing among about 4 equally likely words". */
export function entropyMeaning(bits: number): string {
  if (!Number.isFinite(bits)) return "";
  // Under about 0.6 bits, 2^bits rounds to 1: "about 1 equally likely words" says nothing.
  if (wordsFor(bits) === "1") return "nearly sure: almost one possible word";
  return `like choosing among about ${wordsFor(bits)} equally likely words`;
}

/** Surprise in words: the chance the model gave, and which way is better. */
export function surpriseMeaning(bits: number): string {
  if (!Number.isFinite(bits)) return "";
  if (bits < 0.2) return "the model expected exactly this (lower is better)";
  // Better than even odds read as a percentage: "a 1 in 1 chance" would say nothing.
  if (bits < 1) return `the model gave it about a ${Math.round(100 * 2 ** -bits)}% chance (lower is better)`;
  return `the model gave it about a 1 in ${wordsFor(bits)} chance (lower is better)`;
}

export function formatPerplexity(ppl: number | null | undefined): string {
  return ppl == null || !Number.isFinite(ppl) ? "–" : ppl < 100 ? ppl.toFixed(1) : ppl.toFixed(0);
}

/** Perplexity in words: the average number of choices per token. */
export function perplexityMeaning(ppl: number | null | undefined): string {
  if (ppl == null || !Number.isFinite(ppl)) return "";
  if (wordsFor(Math.log2(ppl)) === "1") return "like knowing almost every next word";
  return `like choosing among about ${wordsFor(Math.log2(ppl))} words at each step`;
}

/** A whole-number percentage for small labels; "<1" rather than a misleading 0. */
export const percentLabel = (p: number): string => (p > 0 && p < 0.005 ? "<1" : String(Math.round(p * 100)));

// ---------- tokens ----------

const BYTE = /^<0x([0-9A-Fa-f]{2})>$/;

/** The byte a byte-fallback token stands for ("<0xC3>" → 0xC3), or null. */
export function byteOf(text: string): number | null {
  const m = BYTE.exec(text);
  return m ? parseInt(m[1]!, 16) : null;
}

/** How many bytes the UTF-8 character starting with this byte has (0 for a continuation byte). */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xc0) return 0;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  return 4;
}

/** For each token: the character a complete run of byte tokens makes (on its first token, "" on the rest), else null. */
function decodeBytes(texts: readonly string[]): (string | null)[] {
  const out: (string | null)[] = texts.map(() => null);
  for (let i = 0; i < texts.length; i++) {
    const lead = byteOf(texts[i]!);
    if (lead === null) continue;
    const n = utf8Length(lead);
    const bytes = texts.slice(i, i + n).map(byteOf);
    if (n === 0 || bytes.length < n || bytes.some((b) => b === null)) continue;
    const char = new TextDecoder().decode(new Uint8Array(bytes as number[]));
    if (char.includes("\uFFFD")) continue;
    out[i] = char;
    for (let j = 1; j < n; j++) out[i + j] = "";
    i += n - 1;
  }
  return out;
}

/**
 * What to print for each token of a sequence. Byte-fallback tokens that together make a character
 * show it (🐟, Ö) on the first of them and "+" on the rest; a lone space is named.
 */
export function tokenLabels(texts: readonly string[]): string[] {
  return decodeBytes(texts).map((c, i) => (c === null ? showToken(texts[i]!) : c === "" ? "+" : c));
}

/** Tokens as running text (stories, the written text), with complete byte runs decoded. */
export function plainText(texts: readonly string[]): string[] {
  return decodeBytes(texts).map((c, i) => c ?? texts[i]!);
}

/** One token on its own. A leading space shows as ␣ so " B" and "B" differ; a byte piece says what it is. */
export function showToken(text: string): string {
  if (text === "") return "∅";
  if (text === " ") return "␣ (a space)";
  const b = byteOf(text);
  if (b !== null) return b < 0x80 ? JSON.stringify(String.fromCharCode(b)) : utf8Length(b) === 0 ? "part of a letter or emoji" : "start of a letter or emoji";
  return text.replace(/^ /, "␣").replace(/\n/g, "⏎");
}
