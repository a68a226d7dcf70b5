// Room leases and fencing on a real PostgreSQL, with two lease holders standing for two processes;
// and the join and sign-in limits counted in a real Redis shared by two processes.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, redisLimiters } from "../../../server/cluster/cluster.ts";
import { createLeases, isLeaseRefusal, type Leases } from "../../../server/db/room-leases.ts";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import { createLogger } from "../../../server/logger.ts";
import { createJoinGuard } from "../../../server/session/join-guard.ts";
import { startRedis, type RedisServer } from "../../support/cluster.ts";
import { createTestDatabase, type TestDatabaseTarget } from "../../support/databases.ts";

describe("room leases in PostgreSQL", () => {
  let target: TestDatabaseTarget;
  let db: Database;
  let admin: pg.Client;
  let a: Leases;
  let b: Leases;
  let n = 0;

  beforeAll(async () => {
    target = await createTestDatabase("postgres");
    db = await openDatabase(target.env, { migrate: true });
    admin = new pg.Client({ connectionString: target.env.DATABASE_URL });
    await admin.connect();
    a = createLeases({ prisma: db.prisma, owner: "process-a", address: "http://127.0.0.1:1", ttlMs: 3_000 });
    b = createLeases({ prisma: db.prisma, owner: "process-b", address: "http://127.0.0.1:2", ttlMs: 3_000 });
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await target?.drop();
  });

  async function room(): Promise<{ id: string; code: string }> {
    const id = `s${++n}`;
    const code = `ROOM${n.toString().padStart(2, "0")}`;
    await admin.query(
      `INSERT INTO "Room" ("id", "code", "title", "ownerId", "modelId", "modelName", "modelSha256", "joinUrl", "prompts", "locked", "paused", "createdAt")
       VALUES ($1, $2, 'Leases', 'o', 'm', 'M', 'x', 'http://j', '[]', false, false, now())`,
      [id, code],
    );
    return { id, code };
  }
  const slideCount = async (sessionId: string) => Number((await admin.query(`SELECT count(*) FROM "Slide" WHERE "sessionId" = $1`, [sessionId])).rows[0].count);
  const addSlide = (leases: Leases, sessionId: string, title: string) =>
    leases.scoped().slide.create({ data: { id: `${sessionId}-${title}`, sessionId, title, body: "", shownAt: new Date() } });
  const expire = (code: string) => admin.query(`UPDATE "RoomLease" SET "expiresAt" = now() - interval '1 second' WHERE "code" = $1`, [code]);

  const writeAs = <T>(l: Leases, code: string, fn: () => Promise<T>) => l.write(code, l.held.get(code) ?? -1, fn);

  it("one holder at a time: a live lease is not taken, an unknown room has none", async () => {
    const { code } = await room();
    expect(await a.acquire(code)).toBe("acquired");
    expect(await b.acquire(code)).toBe("taken");
    expect(await b.acquire("NOSUCH")).toBe("missing");
    expect(await a.holder(code)).toMatchObject({ owner: "process-a", address: "http://127.0.0.1:1", fence: 1, live: true });
    expect(await a.renew()).toEqual([]);
  });

  it("a holder whose lease was taken over cannot write: the database refuses it, and it learns so on renewing", async () => {
    const { id, code } = await room();
    await a.acquire(code);
    await writeAs(a, code, () => addSlide(a, id, "before"));
    expect(await slideCount(id)).toBe(1);
    // A is frozen: its lease runs out, B takes the room with the next fence.
    await expire(code);
    expect(await b.acquire(code)).toBe("acquired");
    expect((await b.holder(code))?.fence).toBe(2);
    // A still believes it holds fence 1. Its write reaches the database and is refused there.
    expect(a.held.get(code)).toBe(1);
    const refused = await writeAs(a, code, () => addSlide(a, id, "stale")).catch((error: unknown) => error);
    expect(isLeaseRefusal(refused)).toBe(true);
    expect(await slideCount(id)).toBe(1);
    expect(await a.renew()).toEqual([code]);
    expect(a.held.has(code)).toBe(false);
    // Not holding it at all is refused the same way.
    expect(isLeaseRefusal(await writeAs(a, code, () => addSlide(a, id, "again")).catch((e: unknown) => e))).toBe(true);
    await writeAs(b, code, () => addSlide(b, id, "new owner"));
    expect(await slideCount(id)).toBe(2);
  });

  it("an expired lease nobody has taken still refuses writes, and its owner cannot renew it: it takes the room again with a new fence", async () => {
    const { id, code } = await room();
    await a.acquire(code);
    await expire(code);
    expect(isLeaseRefusal(await writeAs(a, code, () => addSlide(a, id, "late")).catch((e: unknown) => e))).toBe(true);
    expect(await slideCount(id)).toBe(0);
    expect(await a.renew()).toEqual([code]);
    expect(await a.acquire(code)).toBe("acquired");
    expect(a.held.get(code)).toBe(2);
    // A write bound to the old fence stays refused after the owner took the room again.
    expect(isLeaseRefusal(await a.write(code, 1, () => addSlide(a, id, "stale copy")).catch((e: unknown) => e))).toBe(true);
    await writeAs(a, code, () => addSlide(a, id, "again"));
    expect(await slideCount(id)).toBe(1);
  });

  it("a store's own batch inside the room's write is part of it: refused together", async () => {
    const { id, code } = await room();
    await a.acquire(code);
    const client = a.scoped();
    await writeAs(a, code, () => client.$transaction([addSlide(a, id, "one"), addSlide(a, id, "two")]));
    expect(await slideCount(id)).toBe(2);
    const failed = await writeAs(a, code, async () => {
        await client.$transaction([addSlide(a, id, "three")]);
        throw new Error("the write fails after its first statement");
      }).catch((e: unknown) => e);
    expect(String(failed)).toMatch(/fails after/);
    expect(await slideCount(id)).toBe(2);
  });

  it("a write transaction left idle by a frozen process is ended by the database, so a takeover is not held up by its lock", async () => {
    const { id, code } = await room();
    await a.acquire(code);
    const frozen = writeAs(a, code, async () => {
      await addSlide(a, id, "half-way");
      await new Promise((r) => setTimeout(r, 12_000)); // the transaction sits idle, holding the lease row FOR SHARE
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    // Both the lease running out and the takeover wait on the frozen transaction's lock, until the database ends it.
    const t0 = Date.now();
    await expire(code);
    expect(await b.acquire(code)).toBe("acquired");
    expect(Date.now() - t0).toBeLessThan(11_500);
    expect(await frozen).toBeInstanceOf(Error);
    expect(await slideCount(id)).toBe(0);
  }, 30_000);

  it("a takeover waits for a write already under way, so the new owner loads the room after it", async () => {
    const { id, code } = await room();
    await a.acquire(code);
    let inside = 0;
    const writing = writeAs(a, code, async () => {
      await addSlide(a, id, "slow");
      inside = Date.now();
      await new Promise((r) => setTimeout(r, 400));
    });
    while (!inside) await new Promise((r) => setTimeout(r, 5));
    await expire(code);
    const expiredAt = Date.now();
    await writing;
    expect(expiredAt - inside).toBeGreaterThanOrEqual(350);
    expect(await slideCount(id)).toBe(1);
    expect(await b.acquire(code)).toBe("acquired");
  });

  it("lists open rooms whose owner stopped renewing, and a release frees a room at once", async () => {
    const first = await room();
    const second = await room();
    await a.acquire(first.code);
    await a.acquire(second.code);
    await expire(first.code);
    await admin.query(`UPDATE "Room" SET "status" = 'ended' WHERE "code" = $1`, [second.code]);
    await expire(second.code);
    const orphans = await b.orphans();
    expect(orphans).toContain(first.code);
    expect(orphans).not.toContain(second.code);
    const third = await room();
    await a.acquire(third.code);
    await a.release(third.code);
    expect(await a.holder(third.code)).toBeNull();
    expect(await b.acquire(third.code)).toBe("acquired");
  });
});

describe("join limits in Redis (sign-in limits use the same store)", () => {
  let redis: RedisServer;
  const logger = createLogger("silent", false);

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("hold across processes with the same per-room, per-address rule, and fall back to each process's memory while Redis is away", async () => {
    const clients = [await connectRedis(redis.url, logger, { offlineQueue: false }), await connectRedis(redis.url, logger, { offlineQueue: false })];
    const [one, two] = clients.map((c) => createJoinGuard({ joinsPerRoomPer10Min: 3, missesPer10Min: 2 }, redisLimiters(c)));
    expect(await one!.allowJoin("10.0.0.1", "ROOM01")).toBe(true);
    expect(await two!.allowJoin("10.0.0.1", "ROOM01")).toBe(true);
    expect(await one!.allowJoin("10.0.0.1", "ROOM01")).toBe(true);
    // The fourth from the same school into the same room, on the other process: refused.
    expect(await two!.allowJoin("10.0.0.1", "ROOM01")).toBe(false);
    // Another room, another address: their own counts.
    expect(await two!.allowJoin("10.0.0.1", "ROOM02")).toBe(true);
    expect(await one!.allowJoin("10.0.0.2", "ROOM01")).toBe(true);
    // Wrong codes, counted together: the third miss blocks the address on both.
    expect(await one!.recordMiss("10.0.0.9")).toBe(false);
    expect(await two!.recordMiss("10.0.0.9")).toBe(false);
    expect(await one!.recordMiss("10.0.0.9")).toBe(true);
    expect(await two!.isBlocked("10.0.0.9")).toBe(true);

    await redis.stop();
    const started = Date.now();
    expect(await one!.allowJoin("10.0.0.3", "ROOM01")).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    await redis.start();
    for (const c of clients) await c.disconnect().catch(() => undefined);
  });
});
