// The model's answers to a question set, in batched calls: one call gives every question's
// next-token distribution (the first token's probability is the model's confidence, its entropy
// what the threshold reads); a few more calls, one per step for all questions together, follow the
// most likely token to the end of the word, so the answer is "Oslo", not " O".
import type { InferencePort } from "../../../contract/inference/port.ts";
import type { Question } from "../../../contract/protocol/calibration.ts";
import { isCorrect } from "../../../contract/numbers/calibration.ts";
import type { ModelAnswer } from "./calibration-state.ts";

/** Tokens of a word the model may write after its first; answers are a word or two. */
const MAX_EXTRA_TOKENS = 6;
const TOP_KEPT = 5;
/** A token continues the word when it starts with a letter or a digit (no space, no punctuation). */
const CONTINUES = /^[\p{L}\p{N}]/u;

export async function modelAnswers(inference: InferencePort, model: string, questions: readonly Question[]): Promise<ModelAnswer[]> {
  const firsts = await inference.distributionBatch(
    questions.map((q) => q.prompt),
    { model, topK: TOP_KEPT, bottomK: 0 },
  );
  const words = firsts.map((d) => d.top[0]!.text);
  const ids = firsts.map((d) => [...d.prefix.map((t) => t.id), d.top[0]!.id]);
  let open = firsts.map((_, i) => i).filter((i) => CONTINUES.test(words[i]!.trim()));
  for (let step = 0; step < MAX_EXTRA_TOKENS && open.length > 0; step++) {
    const next = await inference.distributionBatch(
      open.map((i) => ({ ids: ids[i]! })),
      { model, topK: 1, bottomK: 0 },
    );
    open = open.filter((i, k) => {
      const token = next[k]!.top[0]!;
      if (!CONTINUES.test(token.text)) return false;
      words[i] += token.text;
      ids[i]!.push(token.id);
      return true;
    });
  }
  return firsts.map((d, i) => {
    const first = d.top[0]!;
    const answer = words[i]!.trim();
    return {
      answer,
      tokenId: first.id,
      tokenText: first.text,
      p: first.p,
      entropyBits: d.entropyBits,
      correct: isCorrect(answer, questions[i]!.answers),
      top: d.top.map((t) => ({ id: t.id, text: t.text, p: t.p })),
    };
  });
}
