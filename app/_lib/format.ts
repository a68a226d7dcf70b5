// Numbers as the class reads them: probabilities as percentages that never round a real chance to 0.
export function formatProb(p: number): string {
  if (!Number.isFinite(p)) return "–";
  if (p >= 0.995) return `${(p * 100).toFixed(1)}%`;
  if (p >= 0.1) return `${(p * 100).toFixed(1)}%`;
  if (p >= 0.001) return `${(p * 100).toFixed(2)}%`;
  if (p === 0) return "0%";
  return `${(p * 100).toExponential(1).replace("e", "×10^")}%`;
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

/** Joint probabilities get tiny fast (0.95^200 ≈ 0.004%): show them in scientific form when needed. */
export function formatJoint(log2Prob: number): string {
  const p = 2 ** log2Prob;
  if (p >= 0.001) return formatProb(p);
  const exp10 = log2Prob * Math.log10(2);
  const e = Math.floor(exp10);
  return `${(10 ** (exp10 - e)).toFixed(1)}×10^${e}`;
}
