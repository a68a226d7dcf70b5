// Sessions recorded before activities became peers still open in review and export, and resume,
// after the migration: a database made by the earlier schema, filled as the earlier server wrote it.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITY_MODULES } from "../../../server/activities/registry.ts";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import { deployMigrations, MIGRATIONS_DIR } from "../../../server/db/migrate.ts";
import { prismaStores } from "../../../server/db/stores.ts";
import { loadSessionReview, reviewTables } from "../../../server/session/session-review.ts";
import { sessionStateFromStored } from "../../../server/session/session-records.ts";
import { createTestDatabase, DATABASE_KINDS, type TestDatabaseTarget } from "../../support/databases.ts";

const BEFORE = ["20261123091728_init", "20261123093434_rooms", "20261123095918_hat"];

const request = { model: "teach-base", modelSha256: "a".repeat(64), prefixIds: [1, 30, 31], promptText: "Once upon a", chat: false, topK: 50, bottomK: 5, temperature: 1 };
const distribution = { model: "teach-base", top: [{ id: 40, text: " time", p: 0.9 }], bottom: [], entropyBits: 0.7, restMass: 0.1, vocabSize: 6000 };
const oldRound = {
  threadIndex: 0,
  request,
  prefix: [
    { id: 1, text: "<s>", special: true },
    { id: 30, text: "Once", special: false },
    { id: 31, text: " upon a", special: false },
  ],
  distribution,
  compare: null,
  timer: null,
  histogram: [{ tokenId: 40, text: " time", count: 2, share: 1, modelP: 0.9, modelRank: 1 }],
  metrics: { voters: 2, avgLossBits: 0.152, tvd: 0.1, favourite: { tokenId: 40, text: " time", count: 2, share: 1, modelP: 0.9, modelRank: 1 }, modelTop: { id: 40, text: " time", p: 0.9 } },
  results: { "p-ann": { tokenId: 40, tokenText: " time", p: 0.9, rank: 1, surpriseBits: 0.152 }, "p-ben": { tokenId: 40, tokenText: " time", p: 0.9, rank: 1, surpriseBits: 0.152 } },
  pick: { how: "favourite", token: { id: 40, text: " time", p: 0.9 }, temperature: null, seed: null },
  error: null,
};
const threads = [{ prompt: "Once upon a", promptIds: [1, 30, 31], appended: [{ id: 40, text: " time", p: 0.9, how: "favourite", roundNumber: 1, temperature: null, seed: null }] }];

describe.each(DATABASE_KINDS)("a session recorded by the earlier schema, on %s", (kind) => {
  let target: TestDatabaseTarget;
  let db: Database;
  const dir = mkdtempSync(path.join(tmpdir(), "old-migrations-"));

  beforeAll(async () => {
    target = await createTestDatabase(kind);
    db = await openDatabase(target.env, { migrate: false });
    for (const name of BEFORE) cpSync(path.join(MIGRATIONS_DIR, name), path.join(dir, name), { recursive: true });
    cpSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
    await deployMigrations(db.migrationAdapter(), dir);
    const sql = (q: string, ...values: unknown[]) => db.prisma.$executeRawUnsafe(q, ...values);
    const t = (ms: number) => new Date(1_700_000_000_000 + ms);
    await sql(
      `INSERT INTO "Room" ("id","code","title","ownerId","modelId","modelName","modelSha256","joinUrl","prompts","phase","locked","paused","threads","createdAt","endedAt") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10,$11,$12,$13::jsonb,$14,$15)`,
      "room-old", "7KQ4MX", "Last week", "owner-1", "teach-base", "Teach base", "a".repeat(64), "http://x/join/7KQ4MX", JSON.stringify(["Once upon a"]), "ended", false, false, JSON.stringify(threads), t(0), t(9000),
    );
    for (const [id, name, at] of [["p-ann", "Ann", 100], ["p-ben", "Ben", 200]] as const) {
      await sql(`INSERT INTO "RoomParticipant" ("id","roomId","tokenHash","nickname","kicked","joinedAt") VALUES ($1,'room-old',$2,$3,false,$4)`, id, `h-${id}`, name, t(at));
    }
    await sql(`INSERT INTO "Round" ("id","roomId","number","kind","status","prompt","modelId","data","startedAt","closedAt") VALUES ('round-1','room-old',1,'guess','picked','Once upon a','teach-base',$1::jsonb,$2,$3)`, JSON.stringify(oldRound), t(1000), t(2000));
    for (const [pid, at] of [["p-ann", 1100], ["p-ben", 1200]] as const) {
      await sql(
        `INSERT INTO "Vote" ("roundId","participantId","guess","mapped","leadingSpaceAdded","tokens","tokenId","tokenText","p","rank","castAt") VALUES ('round-1',$1,'time',' time',true,$2::jsonb,40,' time',0.9,1,$3)`,
        pid, JSON.stringify([{ id: 40, text: " time", special: false }]), t(at),
      );
    }
    const template = { id: "twinkle", title: "Twinkle", text: "Twinkle, twinkle, little ___, how I wonder what you ___.", segments: ["Twinkle, twinkle, little", ", how I wonder what you", "."], maxTokens: 6 };
    await sql(
      `INSERT INTO "HatGame" ("id","roomId","title","template","segmentIds","modelId","modelSha256","dial","openBlank","status","entropy","startedAt","endedAt") VALUES ('game-1','room-old','Twinkle',$1::jsonb,$2::jsonb,'teach-base',$3,$4::jsonb,1,'finished',NULL,$5,$6)`,
      JSON.stringify(template), JSON.stringify([[1, 50, 51], [52], [53]]), "a".repeat(64), JSON.stringify({ temperature: 1, topP: 1, topK: null }), t(3000), t(4000),
    );
    await sql(
      `INSERT INTO "HatDraw" ("gameId","participantId","blank","text","tokens","seed","dial","stop","hat","log2Prob","drawnAt") VALUES ('game-1','p-ann',0,' star',$1::jsonb,1234,$2::jsonb,'word_end',$3::jsonb,-0.5,$4)`,
      JSON.stringify([{ id: 60, text: " star", p: 0.7, count: 7000, slip: 12 }]), JSON.stringify({ temperature: 1, topP: 1, topK: null }), JSON.stringify({ top: [{ id: 60, text: " star", count: 7000 }], otherCount: 3000, cutMass: 0, modelEntropyBits: 1.2 }), t(3500),
    );
    const report = await deployMigrations(db.migrationAdapter());
    expect(report.applied).toEqual(readdirSync(MIGRATIONS_DIR).filter((n) => !BEFORE.includes(n) && n !== "migration_lock.toml").sort());
  });

  afterAll(async () => {
    await db.close().catch(() => undefined);
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens in review with every round, vote, text, hat draw and participant, and exports its tables", async () => {
    const stores = prismaStores(db.prisma);
    const review = (await loadSessionReview("7KQ4MX", { sessions: stores.sessions, stores: stores.activities, modules: ACTIVITY_MODULES }))!;
    expect(review.room).toMatchObject({ title: "Last week", status: "ended", endedAt: new Date(1_700_000_009_000).toISOString() });
    expect(review.participants.map((p) => [p.nickname, p.roundsScored])).toEqual([
      ["Ann", 1],
      ["Ben", 1],
    ]);
    expect(review.rounds).toHaveLength(1);
    expect(review.rounds[0]).toMatchObject({ status: "picked", prefixIds: [1, 30, 31], histogram: oldRound.histogram, pick: oldRound.pick, compare: null });
    expect(review.rounds[0]!.votes.map((v) => [v.nickname, v.tokenText, v.counted])).toEqual([
      ["Ann", " time", true],
      ["Ben", " time", true],
    ]);
    expect(review.threads).toEqual([expect.objectContaining({ prompt: "Once upon a", appended: threads[0]!.appended })]);
    expect(review.hatGames[0]).toMatchObject({ id: "game-1", status: "finished", draws: [expect.objectContaining({ nickname: "Ann", text: " star", seed: 1234 })] });
    const tables = reviewTables(review, ACTIVITY_MODULES);
    expect(Object.fromEntries(tables.map((t) => [t.name, t.rows.length]))).toMatchObject({ students: 2, rounds: 1, votes: 2, text_tokens: 1, hat_draws: 1, hat_stories: 1 });
  });

  it("resumes with its last activity on the screen", async () => {
    const stores = prismaStores(db.prisma);
    const stored = (await stores.sessions.loadSession("7KQ4MX"))!;
    const session = sessionStateFromStored(stored, "<svg/>", 0);
    expect(session.current).toEqual({ kind: "hat", id: "game-1" });
    expect(session.status).toBe("ended");
    const guess = (await stores.activities.guess.load(session)) as import("../../../server/activities/guess/guess-state.ts").GuessState;
    expect(guess.threads).toEqual(threads);
    expect(guess.scores.get("p-ann")?.rounds).toBe(1);
  });
});
