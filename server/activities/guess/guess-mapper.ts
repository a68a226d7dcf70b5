// Turns a cleaned guess into the tokens the model would see after the prompt, using the
// InferencePort's tokenizer. Tokens are cached per round by the exact text tokenized: a class types
// the same words a lot. The pieces (what was typed, whether a space was added) are built per guess.
import type { InferencePort, Token } from "../../../contract/inference/port.ts";
import type { GuessPieces, TokenView } from "../../../contract/protocol/guess.ts";
import { applySpaceRule, guessPieces } from "./guess-rule.ts";

const views = (tokens: Token[]): TokenView[] => tokens.map((t) => ({ id: t.id, text: t.text, special: t.special }));

function startsWith(full: TokenView[], prefix: TokenView[]): boolean {
  if (prefix.length >= full.length) return false;
  return prefix.every((t, i) => full[i]?.id === t.id);
}

/** What a round's guesses are tokenized against. */
export interface GuessContext {
  roundId: string;
  prompt: string;
  model: string;
}

export interface GuessMapper {
  map(round: GuessContext, guess: string, exact: boolean): Promise<GuessPieces>;
}

// Tokenizers never merge a line break with the letters after it, so the tokens that follow it are
// the guess exactly as typed, with no leading space invented by the tokenizer.
const SEPARATOR = "\n";

export function createGuessMapper(inference: InferencePort): GuessMapper {
  let roundId: string | null = null;
  let context: Promise<TokenView[]> | null = null;
  const cache = new Map<string, Promise<TokenView[]>>();

  function reset(round: GuessContext): void {
    if (roundId === round.roundId) return;
    roundId = round.roundId;
    cache.clear();
    const pending = inference.tokenize(round.prompt, { model: round.model }).then(views);
    // A failed call must not stick to the round: the next guess asks again.
    pending.catch(() => {
      if (context === pending) roundId = null;
    });
    context = pending;
  }

  /**
   * Tokenizing the guess inside the running text gives the tokens the model would really see
   * (SentencePiece and BPE treat a leading space differently). When the prompt's last token merges
   * with the guess, the guess is tokenized on its own, after a line break, so it keeps its spacing.
   */
  async function tokensOf(round: GuessContext, mapped: string): Promise<TokenView[]> {
    const model = { model: round.model };
    const [before, full] = await Promise.all([context!, inference.tokenize(round.prompt + mapped, model).then(views)]);
    if (startsWith(full, before)) return full.slice(before.length);
    const [sep, alone] = await Promise.all([inference.tokenize(SEPARATOR, model).then(views), inference.tokenize(SEPARATOR + mapped, model).then(views)]);
    return startsWith(alone, sep) ? alone.slice(sep.length) : alone.filter((t) => !t.special);
  }

  return {
    async map(round, guess, exact) {
      reset(round);
      const { mapped, leadingSpaceAdded } = applySpaceRule(guess, round.prompt, exact);
      let pending = cache.get(mapped);
      if (!pending) {
        pending = tokensOf(round, mapped);
        pending.catch(() => cache.delete(mapped));
        cache.set(mapped, pending);
      }
      return guessPieces(guess, mapped, leadingSpaceAdded, await pending);
    },
  };
}
