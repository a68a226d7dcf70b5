// One contract for the HatStore, run against the in-memory store, PGlite and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import { createHatStore, createMemoryHatStore, type HatStore } from "../../../server/db/hat-store.ts";
import type { HatGameRow } from "../../../server/hat/hat-records.ts";
import { stateFromStored } from "../../../server/hat/hat-records.ts";
import type { FillState } from "../../../server/hat/hat-state.ts";
import { builtInTemplate } from "../../../server/activities/hat/hat-templates.ts";
import { createTestDatabase, type TestDatabaseTarget } from "../../support/databases.ts";

const KINDS = ["memory", "pglite", "postgres"] as const;
const template = builtInTemplate("blake-bourne")!;
const dial = { temperature: 1, topP: 1, topK: null };

const game = (id: string, roomId: string, startedAt = 1_700_000_000_000): HatGameRow => ({
  id,
  roomId,
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

let serial = 0;
function ids() {
  serial += 1;
  const letters = "ACDEFGHJKMNPQRTUVWXY";
  return { room: `hat-room-${serial}`, code: `9H${letters[serial % 20]}${letters[Math.floor(serial / 20) % 20]}MX`, game: `hat-game-${serial}`, p: (n: number) => `hat-p${n}-${serial}` };
}

describe.each(KINDS)("hat store on %s", (kind) => {
  let target: TestDatabaseTarget | null = null;
  let db: Database | null = null;
  let store: HatStore;

  beforeAll(async () => {
    if (kind === "memory") {
      store = createMemoryHatStore();
      return;
    }
    target = await createTestDatabase(kind);
    db = await openDatabase(target.env, { migrate: true });
    store = createHatStore(db.prisma);
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await target?.drop();
  });

  /** Draws point at a room's participants; the rows are written directly, as the rooms feature would. */
  async function roomWith(k: ReturnType<typeof ids>, people: number) {
    if (!db) return;
    const at = new Date(1_700_000_000_000);
    await db.prisma.room.create({
      data: { id: k.room, code: k.code, title: "Hat", ownerId: "o", modelId: "m", modelName: "M", modelSha256: "a".repeat(64), joinUrl: "http://x/join", prompts: [], phase: "lobby", locked: false, paused: false, threads: [], createdAt: at },
    });
    for (let n = 1; n <= people; n++) {
      await db.prisma.roomParticipant.create({ data: { id: k.p(n), roomId: k.room, tokenHash: `h-${k.p(n)}`, nickname: `P${n}`, kicked: false, joinedAt: at } });
    }
  }

  it("stores a game and its changes to dial, open blank and status", async () => {
    const k = ids();
    await roomWith(k, 0);
    await store.createGame(game(k.game, k.room));
    expect((await store.latestGame(k.room))?.game).toEqual(game(k.game, k.room));
    const entropy = { known: { templateId: "einstein", title: "E", prefix: "Albert", bits: 1.5, top: [] }, madeUp: { templateId: "blake-bourne", title: "B", prefix: "Blake", bits: 6, top: [] } };
    const changed: HatGameRow = { ...game(k.game, k.room), dial: { temperature: 0.7, topP: 0.9, topK: 40 }, openBlank: 2, status: "finished", endedAt: 1_700_000_009_000, entropy };
    await store.updateGame(changed);
    expect((await store.latestGame(k.room))?.game).toEqual(changed);
    expect(await store.latestGame("no-such-room")).toBeNull();
  });

  it("records a draw once: a second draw of the same blank returns the first and writes nothing", async () => {
    const k = ids();
    await roomWith(k, 2);
    await store.createGame(game(k.game, k.room));
    expect(await store.recordDraw({ gameId: k.game, participantId: k.p(1), fill: fill(0, 111) })).toEqual({ fill: fill(0, 111), recorded: false });
    const again = await store.recordDraw({ gameId: k.game, participantId: k.p(1), fill: fill(0, 222, " Rome") });
    expect(again).toEqual({ fill: fill(0, 111), recorded: true });
    // Another student, or the next blank, is a different draw.
    expect((await store.recordDraw({ gameId: k.game, participantId: k.p(2), fill: fill(0, 333) })).recorded).toBe(false);
    expect((await store.recordDraw({ gameId: k.game, participantId: k.p(1), fill: fill(1, 444) })).recorded).toBe(false);
    const stored = await store.latestGame(k.room);
    expect(stored?.draws.map((d) => [d.participantId, d.fill.blank, d.fill.seed])).toEqual([
      [k.p(1), 0, 111],
      [k.p(2), 0, 333],
      [k.p(1), 1, 444],
    ]);
  });

  it("concurrent duplicate draws leave exactly one record", async () => {
    const k = ids();
    await roomWith(k, 1);
    await store.createGame(game(k.game, k.room));
    const results = await Promise.all([1, 2, 3, 4].map((s) => store.recordDraw({ gameId: k.game, participantId: k.p(1), fill: fill(0, s) })));
    expect(results.filter((r) => !r.recorded)).toHaveLength(1);
    const winner = results.find((r) => !r.recorded)!.fill.seed;
    results.forEach((r) => expect(r.fill.seed).toBe(winner));
    expect((await store.latestGame(k.room))?.draws).toHaveLength(1);
  });

  it("rebuilds the rules' state from the stored game: stories, fills and the dial", async () => {
    const k = ids();
    await roomWith(k, 2);
    await store.createGame({ ...game(k.game, k.room), openBlank: 1 });
    await store.recordDraw({ gameId: k.game, participantId: k.p(2), fill: fill(0, 5) });
    await store.recordDraw({ gameId: k.game, participantId: k.p(2), fill: fill(1, 6, " chef") });
    const state = stateFromStored((await store.latestGame(k.room))!, [k.p(1), k.p(2)]);
    expect(state.openBlank).toBe(1);
    expect(state.order).toEqual([k.p(1), k.p(2)]);
    expect(state.stories[k.p(2)]!.fills.map((f) => f.text)).toEqual([" Paris", " chef"]);
    expect(state.stories[k.p(1)]!.fills).toEqual([]);
  });

  it("lists every game of a room, oldest first, with its draws", async () => {
    const k = ids();
    await roomWith(k, 1);
    await store.createGame(game(`${k.game}-old`, k.room, 1_700_000_000_000));
    await store.createGame(game(`${k.game}-new`, k.room, 1_700_000_100_000));
    await store.recordDraw({ gameId: `${k.game}-old`, participantId: k.p(1), fill: fill(0, 9) });
    const games = await store.roomGames(k.room);
    expect(games.map((g) => [g.game.id, g.draws.length])).toEqual([
      [`${k.game}-old`, 1],
      [`${k.game}-new`, 0],
    ]);
    expect((await store.latestGame(k.room))?.game.id).toBe(`${k.game}-new`);
  });
});
