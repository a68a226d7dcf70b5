// Room leases in PostgreSQL: which process owns each live room, and the fence its writes carry.
// A lease lasts ttlMs and its owner renews it every second; a room whose owner stopped renewing is
// taken by the next process that needs it, with the fence one higher. A room's writes run in one
// transaction that first asks the database whether the writer's lease is still current
// (token_hat_assert_lease), so a process that lost its lease cannot write whatever it believes.
import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "./generated/client.ts";

export interface Holder {
  owner: string;
  address: string;
  fence: number;
  /** Not yet expired. */
  live: boolean;
}

export interface LeaseOptions {
  prisma: PrismaClient;
  /** This process: a random id per start. */
  owner: string;
  /** Where other processes forward this process's rooms' calls. */
  address: string;
  ttlMs: number;
}

type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export class LeaseLostError extends Error {
  constructor(readonly code: string) {
    super(`room ${code} is owned by another process now`);
  }
}

/** The database refused a write because the lease it carried is no longer current. */
export const isLeaseRefusal = (error: unknown) => error instanceof Error && /token-hat:lease-lost|is not held by this process/.test(`${error.message} ${String((error as { cause?: unknown }).cause ?? "")}`);

export function createLeases({ prisma, owner, address, ttlMs }: LeaseOptions) {
  /** Rooms this process holds: code → fence. */
  const held = new Map<string, number>();
  const scope = new AsyncLocalStorage<Tx>();

  return {
    held,
    owner,

    async holder(code: string): Promise<Holder | null> {
      const rows = await prisma.$queryRaw<Holder[]>`SELECT "owner", "address", "fence", "expiresAt" > now() AS "live" FROM "RoomLease" WHERE "code" = ${code}`;
      return rows[0] ?? null;
    },

    /** Takes the room if nobody holds a live lease on it: "missing" when there is no such session. */
    async acquire(code: string): Promise<"acquired" | "taken" | "missing"> {
      const rows = await prisma.$queryRaw<{ fence: number }[]>`
        INSERT INTO "RoomLease" ("code", "owner", "address", "fence", "expiresAt")
        SELECT ${code}, ${owner}, ${address}, 1, now() + ${ttlMs}::int * interval '1 millisecond'
        WHERE EXISTS (SELECT 1 FROM "Room" WHERE "code" = ${code})
        ON CONFLICT ("code") DO UPDATE SET "owner" = EXCLUDED."owner", "address" = EXCLUDED."address", "fence" = "RoomLease"."fence" + 1, "expiresAt" = EXCLUDED."expiresAt"
        WHERE "RoomLease"."expiresAt" < now()
        RETURNING "fence"`;
      if (rows[0]) {
        held.set(code, rows[0].fence);
        return "acquired";
      }
      const room = await prisma.$queryRaw<unknown[]>`SELECT 1 FROM "Room" WHERE "code" = ${code}`;
      return room.length > 0 ? "taken" : "missing";
    },

    /**
     * Extends every lease held; returns the rooms whose lease is lost: taken by another process, or
     * run out (an owner that stalled past its lease takes the room again with a new fence, so a call
     * sent again meanwhile never runs under the fence of the copy it replaced).
     */
    async renew(): Promise<string[]> {
      if (held.size === 0) return [];
      const codes = [...held.keys()];
      const fences = codes.map((c) => held.get(c)!);
      const rows = await prisma.$queryRaw<{ code: string }[]>`
        UPDATE "RoomLease" l SET "expiresAt" = now() + ${ttlMs}::int * interval '1 millisecond'
        FROM unnest(${codes}::text[], ${fences}::int[]) AS h("code", "fence")
        WHERE l."code" = h."code" AND l."fence" = h."fence" AND l."owner" = ${owner} AND l."expiresAt" > now()
        RETURNING l."code"`;
      const kept = new Set(rows.map((r) => r.code));
      const lost = codes.filter((c, i) => !kept.has(c) && held.get(c) === fences[i]);
      for (const c of lost) held.delete(c);
      return lost;
    },

    async release(code: string): Promise<void> {
      const fence = held.get(code);
      held.delete(code);
      if (fence !== undefined) await prisma.$executeRaw`DELETE FROM "RoomLease" WHERE "code" = ${code} AND "owner" = ${owner} AND "fence" = ${fence}::int`;
    },

    /** Open sessions whose owner stopped renewing (it died or froze): someone must take them. */
    async orphans(limit = 50): Promise<string[]> {
      const rows = await prisma.$queryRaw<{ code: string }[]>`
        SELECT l."code" FROM "RoomLease" l JOIN "Room" r ON r."code" = l."code"
        WHERE l."expiresAt" < now() AND r."status" <> 'ended' LIMIT ${limit}::int`;
      return rows.map((r) => r.code);
    },

    /**
     * Runs `fn` in a transaction that commits only under the lease this process holds for the room;
     * Prisma calls made through `scoped` inside it join the transaction.
     */
    write<T>(code: string, fence: number, fn: () => Promise<T>): Promise<T> {
      return prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT token_hat_assert_lease(${code}, ${owner}, ${fence}::int)`;
          return scope.run(tx, fn);
        },
        { maxWait: 5_000, timeout: 15_000 },
      );
    },

    /** The client the stores write through: the room's transaction when inside `write`, the pool otherwise. */
    scoped(): PrismaClient {
      return new Proxy(prisma, {
        get(target, prop) {
          const tx = scope.getStore();
          const client: object = tx ?? target;
          // A store's own batch ($transaction([...])) inside the room's transaction runs in it, in order.
          if (tx && prop === "$transaction")
            return async (arg: unknown) => {
              if (typeof arg === "function") return (arg as (t: Tx) => unknown)(tx);
              const results: unknown[] = [];
              for (const query of arg as Promise<unknown>[]) results.push(await query);
              return results;
            };
          const value = Reflect.get(client, prop) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
        },
      });
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
