import { expect } from "vitest";
import { gameStateFromStored, type HatGameRow } from "../../../../server/activities/hat/hat-records.ts";
import type { FillState } from "../../../../server/activities/hat/hat-state.ts";
import { builtInTemplate } from "../../../../server/activities/hat/hat-templates.ts";
import { sessionWith, type ContractCase } from "./contract.ts";

const template = builtInTemplate("blake-bourne")!;
const dial = { temperature: 1, topP: 1, topK: null };

const game = (id: string, sessionId: string, startedAt = 1_700_000_000_000): HatGameRow => ({
  id,
  sessionId,
  title: template.title,
  template: { id: template.id, title: template.title, text: template.text, segments: template.segments, maxTokens: template.maxTokens },
  segmentIds: [[1, 40, 41], [19], [19, 5], [19]],
  modelId: "m",
  modelSha256: "a".repeat(64),
  dial,
  openBlank: 0,
  status: "running",
  entropy: null,
  startedAt,
  endedAt: null,
});

const fill = (blank: number, seed: number, text = " Paris"): FillState => ({
  blank,
  text,
  tokens: [{ id: 77, text, p: 0.125, count: 1250, slip: 42 }],
  seed,
  dial,
  stop: "word_end",
  hat: { top: [{ id: 77, text, count: 1250 }], otherCount: 8750, cutMass: 0, modelEntropyBits: 5.5 },
  drawnAt: 1_700_000_001_000 + blank,
});

export const hatRowsCases: ContractCase[] = [
  {
    name: "hat rows: stores a game and its changes to dial, open blank and status",
    async run(stores, k) {
      await sessionWith(stores, k, 0);
      const rows = stores.activities.hat.rows;
      await rows.saveGame(game("g", k.session));
      expect((await rows.latestGame(k.session))?.game).toEqual(game("g", k.session));
      const entropy = { known: { templateId: "einstein", title: "E", prefix: "Albert", bits: 1.5, top: [] }, madeUp: { templateId: "blake-bourne", title: "B", prefix: "Blake", bits: 6, top: [] } };
      const changed: HatGameRow = { ...game("g", k.session), dial: { temperature: 0.7, topP: 0.9, topK: 40 }, openBlank: 2, status: "finished", endedAt: 1_700_000_009_000, entropy };
      await rows.saveGame(changed);
      expect((await rows.latestGame(k.session))?.game).toEqual(changed);
      expect(await rows.latestGame("no-such-session")).toBeNull();
    },
  },
  {
    name: "hat rows: records a draw once; a second draw of the same blank returns the first and writes nothing",
    async run(stores, k) {
      await sessionWith(stores, k, 2);
      const rows = stores.activities.hat.rows;
      const g = `${k.session}-g`;
      await rows.saveGame(game(g, k.session));
      expect(await rows.recordDraw({ gameId: g, participantId: k.p(1), fill: fill(0, 111) })).toEqual({ fill: fill(0, 111), recorded: false });
      expect(await rows.recordDraw({ gameId: g, participantId: k.p(1), fill: fill(0, 222, " Rome") })).toEqual({ fill: fill(0, 111), recorded: true });
      // Another student, or the next blank, is a different draw.
      expect((await rows.recordDraw({ gameId: g, participantId: k.p(2), fill: fill(0, 333) })).recorded).toBe(false);
      expect((await rows.recordDraw({ gameId: g, participantId: k.p(1), fill: fill(1, 444) })).recorded).toBe(false);
      expect((await rows.latestGame(k.session))?.draws.map((d) => [d.participantId, d.fill.blank, d.fill.seed])).toEqual([
        [k.p(1), 0, 111],
        [k.p(2), 0, 333],
        [k.p(1), 1, 444],
      ]);
    },
  },
  {
    name: "hat rows: concurrent duplicate draws leave exactly one record",
    async run(stores, k) {
      await sessionWith(stores, k, 1);
      const rows = stores.activities.hat.rows;
      const g = `${k.session}-g`;
      await rows.saveGame(game(g, k.session));
      const results = await Promise.all([1, 2, 3, 4].map((s) => rows.recordDraw({ gameId: g, participantId: k.p(1), fill: fill(0, s) })));
      expect(results.filter((r) => !r.recorded)).toHaveLength(1);
      const winner = results.find((r) => !r.recorded)!.fill.seed;
      results.forEach((r) => expect(r.fill.seed).toBe(winner));
      expect((await rows.latestGame(k.session))?.draws).toHaveLength(1);
    },
  },
  {
    name: "hat rows: the rules' state rebuilt from a stored game has its stories, fills and dial",
    async run(stores, k) {
      await sessionWith(stores, k, 2);
      const rows = stores.activities.hat.rows;
      const g = `${k.session}-g`;
      await rows.saveGame({ ...game(g, k.session), openBlank: 1 });
      await rows.recordDraw({ gameId: g, participantId: k.p(2), fill: fill(0, 5) });
      await rows.recordDraw({ gameId: g, participantId: k.p(2), fill: fill(1, 6, " chef") });
      const state = gameStateFromStored((await rows.latestGame(k.session))!, [k.p(1), k.p(2)]);
      expect(state.openBlank).toBe(1);
      expect(state.order).toEqual([k.p(1), k.p(2)]);
      expect(state.stories[k.p(2)]!.fills.map((f) => f.text)).toEqual([" Paris", " chef"]);
      expect(state.stories[k.p(1)]!.fills).toEqual([]);
    },
  },
  {
    name: "hat rows: lists every game of a session, oldest first, with its draws",
    async run(stores, k) {
      await sessionWith(stores, k, 1);
      const rows = stores.activities.hat.rows;
      await rows.saveGame(game(`${k.session}-old`, k.session, 1_700_000_000_000));
      await rows.saveGame(game(`${k.session}-new`, k.session, 1_700_000_100_000));
      await rows.recordDraw({ gameId: `${k.session}-old`, participantId: k.p(1), fill: fill(0, 9) });
      expect((await rows.sessionGames(k.session)).map((g) => [g.game.id, g.draws.length])).toEqual([
        [`${k.session}-old`, 1],
        [`${k.session}-new`, 0],
      ]);
      expect((await rows.latestGame(k.session))?.game.id).toBe(`${k.session}-new`);
    },
  },
];
