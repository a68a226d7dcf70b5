// Numbers as the class reads them: probabilities as percentages that never round a real chance to 0.
const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

const power10 = (exponent: number) => `10${[...String(exponent)].map((c) => SUPERSCRIPT[c] ?? c).join("")}`;

export function formatProb(p: number): string {
  if (!Number.isFinite(p)) return "–";
  if (p === 0) return "0%";
  if (p >= 0.1) return `${(p * 100).toFixed(1)}%`;
  if (p >= 0.001) return `${(p * 100).toFixed(2)}%`;
  // Two significant digits keep tiny chances visible instead of rounding them to 0%.
  if (p >= 1e-6) return `${Number((p * 100).toPrecision(2))}%`;
  const [mantissa, exponent] = p.toExponential(1).split("e");
  return `${mantissa} × ${power10(Number(exponent))}`;
}

/** A joint probability from its log2, which stays exact long after 2^log2 underflows to 0. */
export function formatJoint(log2Prob: number): string {
  if (log2Prob >= Math.log2(1e-6)) return formatProb(2 ** log2Prob);
  const exp10 = log2Prob * Math.log10(2);
  const exponent = Math.floor(exp10);
  return `${(10 ** (exp10 - exponent)).toFixed(1)} × ${power10(exponent)}`;
}

export const formatBits = (bits: number | null | undefined): string => (bits == null || !Number.isFinite(bits) ? "–" : `${bits.toFixed(2)} bits`);

/** Tokens keep their leading space; show it as a visible mark so " B" and "B" differ on screen. */
export function showToken(text: string): string {
  if (text === "") return "∅";
  return text.replace(/^ /, "␣").replace(/\n/g, "⏎");
}

export function formatPerplexity(ppl: number | null | undefined): string {
  return ppl == null || !Number.isFinite(ppl) ? "–" : ppl < 100 ? ppl.toFixed(2) : ppl.toFixed(0);
}

/** A whole-number percentage for small labels; "<1" rather than a misleading 0. */
export const percentLabel = (p: number): string => (p > 0 && p < 0.005 ? "<1" : String(Math.round(p * 100)));
