// Turns a cleaned guess into the tokens the model would see after the prompt, using the
// InferencePort's tokenizer. Results are cached per round: a class types the same words a lot.
import type { InferencePort, Token } from "../../contract/inference/port.ts";
import type { GuessPieces, TokenView } from "../protocol/room-protocol.ts";
import { applySpaceRule, guessPieces } from "./guess-rule.ts";
import type { RoundState } from "./room-state.ts";

const views = (tokens: Token[]): TokenView[] => tokens.map((t) => ({ id: t.id, text: t.text, special: t.special }));

/** Drops markers the tokenizer puts in front (BOS), keeping an <unk> that stands for the guess itself. */
function withoutLeadingSpecials(tokens: TokenView[]): TokenView[] {
  const first = tokens.findIndex((t) => !t.special);
  return first === -1 ? tokens.slice(1) : tokens.slice(first);
}

function startsWith(full: TokenView[], prefix: TokenView[]): boolean {
  if (prefix.length >= full.length) return false;
  return prefix.every((t, i) => full[i]?.id === t.id);
}

export interface GuessMapper {
  map(round: RoundState, guess: string, exact: boolean): Promise<GuessPieces>;
  /** Drops caches of rounds other than this one. */
  keepOnly(roundId: string): void;
}

export function createGuessMapper(inference: InferencePort): GuessMapper {
  let roundId: string | null = null;
  let context: Promise<TokenView[]> | null = null;
  const cache = new Map<string, Promise<GuessPieces>>();

  function reset(round: RoundState): void {
    if (roundId === round.id) return;
    roundId = round.id;
    cache.clear();
    const pending = inference.tokenize(round.prompt, { model: round.request.model }).then(views);
    // A failed call must not stick to the round: the next guess asks again.
    pending.catch(() => {
      if (context === pending) roundId = null;
    });
    context = pending;
  }

  /**
   * Tokenizing the guess inside the running text gives the tokens the model would really see
   * (SentencePiece and BPE treat a leading space differently); when the prompt's last token merges
   * with the guess, the guess is tokenized alone instead.
   */
  async function tokensOf(round: RoundState, mapped: string): Promise<TokenView[]> {
    const model = { model: round.request.model };
    const [before, full] = await Promise.all([context!, inference.tokenize(round.prompt + mapped, model).then(views)]);
    if (startsWith(full, before)) return full.slice(before.length);
    return withoutLeadingSpecials(views(await inference.tokenize(mapped, model)));
  }

  return {
    map(round, guess, exact) {
      reset(round);
      const { mapped, leadingSpaceAdded } = applySpaceRule(guess, round.prompt, exact);
      const key = mapped;
      let pending = cache.get(key);
      if (!pending) {
        pending = tokensOf(round, mapped).then((tokens) => guessPieces(guess, mapped, leadingSpaceAdded, tokens));
        pending.catch(() => cache.delete(key));
        cache.set(key, pending);
      }
      // The cached pieces name the first guess that produced them; give back this student's own text.
      return pending.then((p) => (p.guess === guess ? p : { ...p, guess }));
    },
    keepOnly(id) {
      if (roundId !== id) {
        roundId = null;
        cache.clear();
      }
    },
  };
}
