// The guess activity's part of a session review: every round with its votes, the texts written,
// and their tidy tables for the CSV export (rounds, votes, compare sides, the model's top tokens,
// and the tokens of each text).
import type { GuessReview, ReviewCompareSide, ReviewRound, ReviewTable } from "../../../contract/http/review.ts";
import type { RoundRow, StoredGuess } from "./guess-records.ts";
import type { GuessRows } from "./guess-store.ts";
import { threadView } from "./guess-views.ts";
import { surpriseBits } from "./round-metrics.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function side(s: NonNullable<RoundRow["data"]["compare"]>["a"]): ReviewCompareSide {
  return { label: s.label, prompt: s.prompt, chat: s.chat, model: s.request.model, temperature: s.request.temperature, prefixIds: s.request.prefixIds, distribution: s.distribution };
}

export function guessReview(stored: StoredGuess, nickname: (id: string) => string): GuessReview {
  const votesByRound = new Map<string, StoredGuess["votes"]>();
  for (const v of stored.votes) votesByRound.set(v.roundId, [...(votesByRound.get(v.roundId) ?? []), v]);
  const rounds: ReviewRound[] = [...stored.rounds]
    .sort((a, b) => a.number - b.number)
    .map((r) => {
      const votes = votesByRound.get(r.id) ?? [];
      const lastIndex = new Map<string, number>();
      votes.forEach((v, i) => lastIndex.set(v.participantId, i));
      const d = r.data;
      const results = d.results ?? {};
      return {
        id: r.id,
        number: r.number,
        kind: r.kind,
        status: r.status,
        prompt: r.prompt,
        model: { id: d.request.model, sha256: d.request.modelSha256 },
        params: { topK: d.request.topK, bottomK: d.request.bottomK, temperature: d.request.temperature, chat: d.request.chat },
        prefixIds: d.request.prefixIds,
        prefix: d.prefix,
        distribution: d.distribution,
        compare: d.compare
          ? { mode: d.compare.mode, a: side(d.compare.a), b: side(d.compare.b), predictions: Object.entries(d.predictions).map(([participantId, s]) => ({ participantId, nickname: nickname(participantId), side: s })) }
          : null,
        histogram: d.histogram ?? [],
        metrics: d.metrics,
        results,
        pick: d.pick,
        error: d.error,
        startedAt: iso(r.startedAt),
        closedAt: r.closedAt === null ? null : iso(r.closedAt),
        votes: votes.map((v, i) => ({
          participantId: v.participantId,
          nickname: nickname(v.participantId),
          guess: v.guess,
          mapped: v.mapped,
          leadingSpaceAdded: v.leadingSpaceAdded,
          tokens: v.tokens,
          tokenId: v.tokenId,
          tokenText: v.tokenText,
          p: v.p,
          rank: v.rank,
          surpriseBits: surpriseBits(v.p),
          at: iso(v.at),
          counted: lastIndex.get(v.participantId) === i && results[v.participantId] !== undefined,
        })),
      };
    });
  const threads = [...stored.threads].sort((a, b) => a.position - b.position).map((t) => threadView(t));
  return { rounds, threads };
}

export async function loadGuessReview(rows: GuessRows, sessionId: string, nickname: (id: string) => string): Promise<GuessReview> {
  return guessReview(await rows.load(sessionId, { allVotes: true }), nickname);
}

export function guessTables(review: GuessReview, code: string): ReviewTable[] {
  const rounds: ReviewTable = {
    name: "rounds",
    columns: ["session_code", "round", "kind", "status", "prompt", "model_id", "model_sha256", "chat", "temperature", "entropy_bits", "rest_mass", "model_top_token", "model_top_p", "voters", "avg_surprise_bits", "class_vs_model_tvd", "favourite_token", "favourite_votes", "favourite_model_rank", "chosen_token", "chosen_how", "chosen_p", "sample_temperature", "sample_seed", "started_at", "closed_at"],
    rows: review.rounds.map((r) => {
      const d = r.distribution;
      const m = r.metrics;
      return [code, r.number, r.kind, r.status, r.prompt, r.model.id, r.model.sha256, r.params.chat, r.params.temperature, d?.entropyBits ?? null, d?.restMass ?? null, d?.top[0]?.text ?? null, d?.top[0]?.p ?? null, m?.voters ?? r.votes.length, m?.avgLossBits ?? null, m?.tvd ?? null, m?.favourite?.text ?? null, m?.favourite?.count ?? null, m?.favourite?.modelRank ?? null, r.pick?.token.text ?? null, r.pick?.how ?? null, r.pick?.token.p ?? null, r.pick?.temperature ?? null, r.pick?.seed ?? null, r.startedAt, r.closedAt];
    }),
  };
  const votes: ReviewTable = {
    name: "votes",
    columns: ["session_code", "round", "prompt", "participant_id", "nickname", "guess", "mapped_guess", "space_added", "tokens", "token_id", "token_text", "p", "rank", "surprise_bits", "counted", "at"],
    rows: review.rounds.flatMap((r) =>
      r.votes.map((v) => [code, r.number, r.prompt, v.participantId, v.nickname, v.guess, v.mapped, v.leadingSpaceAdded, v.tokens.map((t) => t.text).join(" | "), v.tokenId, v.tokenText, v.p, v.rank, v.surpriseBits, v.counted, v.at]),
    ),
  };
  const compareSides: ReviewTable = {
    name: "compare_sides",
    columns: ["session_code", "round", "mode", "side", "label", "prompt", "model_id", "chat", "temperature", "entropy_bits", "rest_mass", "top_token", "top_p", "predicted_by", "surer"],
    rows: review.rounds.flatMap((r) => {
      const c = r.compare;
      if (!c) return [];
      const surer = c.a.distribution && c.b.distribution ? (c.a.distribution.entropyBits <= c.b.distribution.entropyBits ? "a" : "b") : null;
      return (["a", "b"] as const).map((k) => {
        const s = c[k];
        return [code, r.number, c.mode, k, s.label, s.prompt, s.model, s.chat, s.temperature, s.distribution?.entropyBits ?? null, s.distribution?.restMass ?? null, s.distribution?.top[0]?.text ?? null, s.distribution?.top[0]?.p ?? null, c.predictions.filter((p) => p.side === k).length, surer === k];
      });
    }),
  };
  const topTokens: ReviewTable = {
    name: "model_top_tokens",
    columns: ["session_code", "round", "side", "rank", "token_id", "token_text", "p"],
    rows: review.rounds.flatMap((r) => {
      const lists: [string, typeof r.distribution][] = r.compare ? [["a", r.compare.a.distribution], ["b", r.compare.b.distribution]] : [["", r.distribution]];
      return lists.flatMap(([s, d]) => (d ? d.top.map((t, i) => [code, r.number, s, i + 1, t.id, t.text, t.p]) : []));
    }),
  };
  const texts: ReviewTable = {
    name: "text_tokens",
    columns: ["session_code", "text", "prompt", "position", "token_id", "token_text", "p", "chosen_how", "round", "temperature", "seed", "text_log2_prob", "text_perplexity"],
    rows: review.threads.flatMap((t, i) => t.appended.map((a, j) => [code, i + 1, t.prompt, j + 1, a.id, a.text, a.p, a.how, a.roundNumber, a.temperature, a.seed, t.log2Prob, t.perplexity])),
  };
  return [rounds, votes, compareSides, topTokens, texts];
}
