// A finished (or running) session as review data, JSON export and CSV export. The JSON holds
// everything needed to reproduce each number: model id and SHA-256, prefix token ids, parameters
// and sampling seeds. The CSV is one file with a `row_type` column: "round" rows, then "vote" rows.
import Papa from "papaparse";
import type { DistributionView, HistogramBar, MyResultView, PickView, RoundMetrics, ThreadView, TokenView } from "../protocol/room-protocol.ts";
import type { RoundData, StoredRoom } from "./room-records.ts";
import { surpriseBits } from "./round-metrics.ts";
import { threadView } from "./room-snapshot.ts";
import { hatCsvRows, hatReview, HAT_CSV_COLUMNS, type HatGameReview } from "../hat/hat-export.ts";
import type { StoredHatGame } from "../hat/hat-records.ts";

export const EXPORT_FORMAT = "token-hat-session/1";

export interface ReviewVote {
  participantId: string;
  nickname: string;
  guess: string;
  mapped: string;
  leadingSpaceAdded: boolean;
  tokens: TokenView[];
  tokenId: number;
  tokenText: string;
  p: number;
  rank: number;
  surpriseBits: number;
  at: string;
  /** The participant's last vote in a revealed round: the one the reveal scored. */
  counted: boolean;
}

export interface ReviewRound {
  id: string;
  number: number;
  kind: "guess" | "compare";
  status: string;
  prompt: string;
  model: { id: string; sha256: string };
  params: { topK: number; bottomK: number; temperature: number; chat: boolean };
  prefixIds: number[];
  prefix: TokenView[];
  distribution: DistributionView | null;
  compare: RoundData["compare"];
  histogram: HistogramBar[];
  metrics: RoundMetrics | null;
  results: Record<string, MyResultView>;
  pick: PickView | null;
  error: string | null;
  startedAt: string;
  closedAt: string | null;
  votes: ReviewVote[];
}

export interface SessionReview {
  format: typeof EXPORT_FORMAT;
  room: {
    id: string;
    code: string;
    title: string;
    ownerId: string;
    model: { id: string; name: string; sha256: string };
    joinUrl: string;
    prompts: string[];
    phase: string;
    createdAt: string;
    endedAt: string | null;
  };
  participants: { id: string; nickname: string; kicked: boolean; joinedAt: string; totalLossBits: number; roundsScored: number }[];
  rounds: ReviewRound[];
  threads: ThreadView[];
  /** Hat (Mad Libs) games played in the room, with every draw and the final stories. */
  hatGames: HatGameReview[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function sessionReview(stored: StoredRoom, hatGames: StoredHatGame[] = []): SessionReview {
  const { room } = stored;
  const nickname = new Map(stored.participants.map((p) => [p.id, p.nickname]));
  const totals = new Map<string, { loss: number; rounds: number }>();
  const rounds = [...stored.rounds].sort((a, b) => a.number - b.number);
  for (const r of rounds) {
    for (const [pid, result] of Object.entries(r.data.results ?? {})) {
      const t = totals.get(pid) ?? { loss: 0, rounds: 0 };
      totals.set(pid, { loss: t.loss + result.surpriseBits, rounds: t.rounds + 1 });
    }
  }
  const votesByRound = new Map<string, typeof stored.votes>();
  for (const v of stored.votes) votesByRound.set(v.roundId, [...(votesByRound.get(v.roundId) ?? []), v]);

  return {
    format: EXPORT_FORMAT,
    room: {
      id: room.id,
      code: room.code,
      title: room.title,
      ownerId: room.ownerId,
      model: { id: room.modelId, name: room.modelName, sha256: room.modelSha256 },
      joinUrl: room.joinUrl,
      prompts: room.prompts,
      phase: room.phase,
      createdAt: iso(room.createdAt),
      endedAt: room.endedAt === null ? null : iso(room.endedAt),
    },
    participants: [...stored.participants]
      .sort((a, b) => a.joinedAt - b.joinedAt)
      .map((p) => ({ id: p.id, nickname: p.nickname, kicked: p.kicked, joinedAt: iso(p.joinedAt), totalLossBits: totals.get(p.id)?.loss ?? 0, roundsScored: totals.get(p.id)?.rounds ?? 0 })),
    rounds: rounds.map((r) => {
      const votes = votesByRound.get(r.id) ?? [];
      const lastIndex = new Map<string, number>();
      votes.forEach((v, i) => lastIndex.set(v.participantId, i));
      const results = r.data.results ?? {};
      return {
        id: r.id,
        number: r.number,
        kind: r.kind,
        status: r.status,
        prompt: r.prompt,
        model: { id: r.data.request.model, sha256: r.data.request.modelSha256 },
        params: { topK: r.data.request.topK, bottomK: r.data.request.bottomK, temperature: r.data.request.temperature, chat: r.data.request.chat },
        prefixIds: r.data.request.prefixIds,
        prefix: r.data.prefix,
        distribution: r.data.distribution,
        compare: r.data.compare,
        histogram: r.data.histogram ?? [],
        metrics: r.data.metrics,
        results,
        pick: r.data.pick,
        error: r.data.error,
        startedAt: iso(r.startedAt),
        closedAt: r.closedAt === null ? null : iso(r.closedAt),
        votes: votes.map((v, i) => ({
          participantId: v.participantId,
          nickname: nickname.get(v.participantId) ?? "",
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
    }),
    threads: room.threads.map(threadView),
    hatGames: hatReview(hatGames, (id) => nickname.get(id) ?? ""),
  };
}

export const CSV_COLUMNS = [
  "row_type",
  "session_code",
  "round_number",
  "round_kind",
  "round_status",
  "prompt",
  "model_id",
  "model_sha256",
  "entropy_bits",
  "rest_mass",
  "model_top_token",
  "model_top_p",
  "voters",
  "avg_loss_bits",
  "tvd",
  "favourite_token",
  "favourite_count",
  "favourite_model_rank",
  "chosen_token",
  "chosen_how",
  "chosen_p",
  "temperature",
  "seed",
  "participant_id",
  "nickname",
  "guess",
  "mapped_guess",
  "token_id",
  "token_text",
  "p",
  "rank",
  "surprise_bits",
  "counted",
  "at",
] as const;

type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

/** One row per round, then one row per vote (changed votes included; `counted` marks the scored one). */
export function sessionCsv(review: SessionReview): string {
  const rows: CsvRow[] = [];
  for (const r of review.rounds) {
    const d = r.distribution;
    rows.push({
      row_type: "round",
      session_code: review.room.code,
      round_number: r.number,
      round_kind: r.kind,
      round_status: r.status,
      prompt: r.prompt,
      model_id: r.model.id,
      model_sha256: r.model.sha256,
      entropy_bits: d?.entropyBits ?? null,
      rest_mass: d?.restMass ?? null,
      model_top_token: d?.top[0]?.text ?? null,
      model_top_p: d?.top[0]?.p ?? null,
      voters: r.metrics?.voters ?? null,
      avg_loss_bits: r.metrics?.avgLossBits ?? null,
      tvd: r.metrics?.tvd ?? null,
      favourite_token: r.metrics?.favourite?.text ?? null,
      favourite_count: r.metrics?.favourite?.count ?? null,
      favourite_model_rank: r.metrics?.favourite?.modelRank ?? null,
      chosen_token: r.pick?.token.text ?? null,
      chosen_how: r.pick?.how ?? null,
      chosen_p: r.pick?.token.p ?? null,
      temperature: r.pick?.temperature ?? null,
      seed: r.pick?.seed ?? null,
      at: r.startedAt,
    });
  }
  for (const r of review.rounds) {
    for (const v of r.votes) {
      rows.push({
        row_type: "vote",
        session_code: review.room.code,
        round_number: r.number,
        round_kind: r.kind,
        prompt: r.prompt,
        model_id: r.model.id,
        participant_id: v.participantId,
        nickname: v.nickname,
        guess: v.guess,
        mapped_guess: v.mapped,
        token_id: v.tokenId,
        token_text: v.tokenText,
        p: v.p,
        rank: v.rank,
        surprise_bits: v.surpriseBits,
        counted: v.counted,
        at: v.at,
      });
    }
  }
  // The hat's rows (one per draw, one per story) share the file and add their own columns.
  const hatRows = hatCsvRows(review.room.code, review.hatGames ?? []);
  const fields = hatRows.length > 0 ? [...CSV_COLUMNS, ...HAT_CSV_COLUMNS] : [...CSV_COLUMNS];
  const all: Record<string, string | number | boolean | null | undefined>[] = [...rows, ...hatRows];
  // Leading =, +, - or @ would run as a formula in a spreadsheet; papaparse quotes and escapes them.
  return Papa.unparse({ fields, data: all.map((row) => fields.map((c) => row[c] ?? "")) }, { escapeFormulae: true });
}
