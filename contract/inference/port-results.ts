// Turns next-token logits into the port's result objects. The worker and the fake both use this,
// so the fake's numbers follow exactly the same math as the real model's.
import type { Distribution, DistributionOptions, Sample, SampleOptions, Score, ScoredToken, Token, TokenProb } from "./port.ts";
import { bottomIds, massOf, softmax, softmaxWithEntropy, topIds } from "../numbers/distribution-math.ts";
import { hatSource, shapeHat, slipAt } from "../numbers/hat/hat-shape.ts";
import { slipStream } from "../numbers/hat/seeded-draw.ts";

export type TokenText = (id: number) => string;

export function distributionFrom(
  model: string,
  prefix: Token[],
  logits: ArrayLike<number>,
  options: DistributionOptions,
  textOf: TokenText,
): Distribution {
  const { probs, entropyBits: entropy } = softmaxWithEntropy(logits, options.temperature ?? 1);
  const tokenProb = (id: number): TokenProb => ({ id, text: textOf(id), p: probs[id]! });
  const top = topIds(probs, options.topK ?? 20);
  const distribution: Distribution = {
    model,
    prefix,
    top: top.map(tokenProb),
    bottom: bottomIds(probs, options.bottomK ?? 5).map(tokenProb),
    entropyBits: entropy,
    restMass: Math.max(0, 1 - massOf(probs, top)),
    vocabSize: probs.length,
  };
  if (options.includeProbs) distribution.probs = probs;
  return distribution;
}

/** How many of the hat's most likely tokens a Sample lists. */
export const SAMPLE_HAT_TOKENS = 20;

/** One draw from the same 10,000-slip hat the hat game uses, with the seed's first slip. */
export function sampleFrom(model: string, logits: ArrayLike<number>, options: SampleOptions, textOf: TokenText): Sample {
  const hat = shapeHat(hatSource(softmax(logits, 1), () => false), {
    temperature: options.temperature,
    topK: options.topK ?? null,
    topP: options.topP ?? 1,
  });
  const slip = slipAt(hat, slipStream(options.seed)());
  const tokenOf = (s: { id: number; q: number }): TokenProb => ({ id: s.id, text: textOf(s.id), p: s.q });
  return {
    model,
    seed: options.seed,
    token: tokenOf(slip),
    hat: { tokens: hat.slips.slice(0, SAMPLE_HAT_TOKENS).map(tokenOf), cutMass: hat.cut.mass, entropyBits: hat.entropyBits },
  };
}

/** `rows[i]` are the logits that predicted `tokens[i]`; the joint probability follows the chain rule. */
export function scoreFrom(model: string, tokens: Token[], rows: readonly ArrayLike<number>[]): Score {
  let log2Prob = 0;
  const scored: ScoredToken[] = tokens.map((token, i) => {
    const { probs, entropyBits: entropy } = softmaxWithEntropy(rows[i]!);
    const p = probs[token.id]!;
    log2Prob += Math.log2(p);
    return { ...token, p, surprisalBits: -Math.log2(p), entropyBits: entropy };
  });
  return { model, tokens: scored, log2Prob, perplexity: 2 ** (-log2Prob / scored.length) };
}
