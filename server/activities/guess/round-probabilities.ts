// The model's probability of every vocabulary token for a round's prefix, kept in memory while the
// round runs so each vote gets its p and rank at once. After a restart it is asked for again:
// the same ids give the same numbers.
import type { InferencePort } from "../../../contract/inference/port.ts";
import { rankOf } from "./round-metrics.ts";
import type { ModelRequest } from "./guess-state.ts";

export interface TokenOdds {
  p: number;
  rank: number;
}

export interface RoundProbabilities {
  /** Stores probabilities the round's own distribution call already returned. */
  remember(roundId: string, probs: ArrayLike<number>): void;
  odds(roundId: string, request: ModelRequest, tokenId: number): Promise<TokenOdds>;
  forget(roundId: string): void;
}

interface Entry {
  probs: Promise<ArrayLike<number>>;
  ranks: Map<number, number>;
}

export function createRoundProbabilities(inference: InferencePort, keep = 3): RoundProbabilities {
  const entries = new Map<string, Entry>();

  function put(roundId: string, probs: Promise<ArrayLike<number>>): Entry {
    const entry = { probs, ranks: new Map<number, number>() };
    entries.set(roundId, entry);
    // Only the last few rounds can still receive votes or picks.
    while (entries.size > keep) entries.delete(entries.keys().next().value!);
    return entry;
  }

  async function fetchProbs(request: ModelRequest): Promise<ArrayLike<number>> {
    const prefix = request.prefixIds.length > 0 ? { ids: request.prefixIds } : (request.promptText ?? "");
    const d = await inference.distribution(prefix, { model: request.model, chat: request.chat, includeProbs: true, topK: 1, bottomK: 0 });
    if (!d.probs) throw new Error("the inference port returned no probabilities");
    return d.probs;
  }

  return {
    remember(roundId, probs) {
      put(roundId, Promise.resolve(probs));
    },
    async odds(roundId, request, tokenId) {
      let entry = entries.get(roundId);
      if (!entry) {
        entry = put(roundId, fetchProbs(request));
        entry.probs.catch(() => entries.delete(roundId));
      }
      const probs = await entry.probs;
      let rank = entry.ranks.get(tokenId);
      if (rank === undefined) {
        rank = rankOf(probs, tokenId);
        entry.ranks.set(tokenId, rank);
      }
      return { p: probs[tokenId] ?? 0, rank };
    },
    forget(roundId) {
      entries.delete(roundId);
    },
  };
}
