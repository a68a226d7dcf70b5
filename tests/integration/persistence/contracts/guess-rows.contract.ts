import { expect } from "vitest";
import type { RoundRow, VoteRow } from "../../../../server/activities/guess/guess-records.ts";
import { guessStateFromStored } from "../../../../server/activities/guess/guess-records.ts";
import { sessionWith, type ContractCase } from "./contract.ts";

const round = (id: string, sessionId: string, number: number, status: RoundRow["status"]): RoundRow => ({
  id,
  sessionId,
  number,
  kind: "guess",
  status,
  prompt: "Once upon a time",
  modelId: "m",
  data: {
    threadIndex: 0,
    request: { model: "m", modelSha256: "a".repeat(64), prefixIds: [1, 2], promptText: "Once upon a time", chat: false, topK: 50, bottomK: 5, temperature: 1 },
    prefix: [
      { id: 1, text: "<s>", special: true },
      { id: 2, text: "Once", special: false },
    ],
    distribution: { model: "m", top: [{ id: 9, text: " there", p: 0.5 }], bottom: [], entropyBits: 1.5, restMass: 0.5, vocabSize: 512 },
    compare: null,
    timer: null,
    histogram: null,
    metrics: null,
    results: status === "revealed" ? { p1: { tokenId: 9, tokenText: " there", p: 0.5, rank: 1, surpriseBits: 1 } } : null,
    pick: null,
    error: null,
    predictions: {},
  },
  startedAt: 1_700_000_001_000,
  closedAt: status === "revealed" ? 1_700_000_002_000 : null,
});

const vote = (sessionId: string, roundId: string, participantId: string, tokenId: number, at: number): VoteRow => ({
  sessionId,
  roundId,
  participantId,
  guess: "there",
  mapped: " there",
  leadingSpaceAdded: true,
  tokens: [{ id: tokenId, text: " there", special: false }],
  tokenId,
  tokenText: " there",
  p: 0.5,
  rank: 1,
  at,
});

export const guessRowsCases: ContractCase[] = [
  {
    name: "guess rows: keeps every vote in cast order; a live load has only the open round's votes, a review has all",
    async run(stores, k) {
      const rows = stores.activities.guess.rows;
      await sessionWith(stores, k, 2);
      const [p1, p2] = [k.p(1), k.p(2)];
      await rows.upsertRound(round(k.r(1), k.session, 1, "voting"));
      await rows.addVotes([vote(k.session, k.r(1), p1, 9, 1_700_000_001_100)]);
      await rows.upsertRound(round(k.r(1), k.session, 1, "revealed"));
      await rows.upsertRound(round(k.r(2), k.session, 2, "voting"));
      await rows.addVotes([vote(k.session, k.r(2), p1, 7, 1_700_000_003_100), vote(k.session, k.r(2), p2, 8, 1_700_000_003_200), vote(k.session, k.r(2), p1, 9, 1_700_000_003_300)]);
      await rows.addVotes([]);
      const live = await rows.load(k.session, { allVotes: false });
      expect(live.votes.map((v) => [v.roundId, v.participantId, v.tokenId])).toEqual([
        [k.r(2), p1, 7],
        [k.r(2), p2, 8],
        [k.r(2), p1, 9],
      ]);
      expect(live.votes[0]).toEqual(vote(k.session, k.r(2), p1, 7, 1_700_000_003_100));
      const review = await rows.load(k.session, { allVotes: true });
      expect(review.votes).toHaveLength(4);
      expect(review.rounds.find((r) => r.id === k.r(1))).toEqual(round(k.r(1), k.session, 1, "revealed"));
    },
  },
  {
    name: "guess rows: the live state rebuilt from them has the latest vote per student and scores from revealed rounds",
    async run(stores, k) {
      await sessionWith(stores, k, 1);
      const rows = stores.activities.guess.rows;
      await rows.upsertRound({ ...round(k.r(1), k.session, 1, "revealed"), data: { ...round(k.r(1), k.session, 1, "revealed").data, results: { [k.p(1)]: { tokenId: 9, tokenText: " there", p: 0.5, rank: 1, surpriseBits: 1 } } } });
      await rows.upsertRound(round(k.r(2), k.session, 2, "voting"));
      await rows.addVotes([vote(k.session, k.r(2), k.p(1), 7, 1_700_000_003_100), vote(k.session, k.r(2), k.p(1), 9, 1_700_000_003_300)]);
      const state = guessStateFromStored(await rows.load(k.session, { allVotes: false }), () => true);
      expect(state.scores.get(k.p(1))).toEqual({ lossBits: 1, rounds: 1 });
      expect(state.rounds[1]?.votes.get(k.p(1))?.tokenId).toBe(9);
    },
  },
  {
    name: "guess rows: texts are saved and grow",
    async run(stores, k) {
      await sessionWith(stores, k, 0);
      const rows = stores.activities.guess.rows;
      const t = (n: number) => ({ position: 0, prompt: "Hi", promptIds: [1, 5], appended: Array.from({ length: n }, (_, i) => ({ id: 9 + i, text: " there", p: 0.5, how: "sample" as const, roundNumber: i + 1, temperature: 0.7, seed: 1234 })) });
      await rows.saveThreads(k.session, [t(1)]);
      await rows.saveThreads(k.session, [t(2), { ...t(0), position: 1, prompt: "Second" }]);
      expect((await rows.load(k.session, { allVotes: true })).threads).toEqual([t(2), { ...t(0), position: 1, prompt: "Second" }]);
    },
  },
  {
    name: "guess rows: a second round with the same number in a session is refused",
    async run(stores, k) {
      await sessionWith(stores, k, 0);
      await stores.activities.guess.rows.upsertRound(round(k.r(1), k.session, 1, "voting"));
      await expect(stores.activities.guess.rows.upsertRound(round(k.r(9), k.session, 1, "voting"))).rejects.toThrow();
    },
  },
];
