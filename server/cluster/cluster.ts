// Several server processes serving one school (REDIS_URL set). What they share:
// - socket.io's Redis Streams adapter: a broadcast from any process reaches the sockets of every
//   process, in the order it was sent (one stream), and a process that lost Redis for a moment reads
//   on from where it stopped;
// - rate limits kept in Redis (rate-limiter-flexible), with a memory limiter while Redis is away;
// - one owner per room, by lease in PostgreSQL (leases.ts). Calls for a room reaching another process
//   are forwarded to its owner over HTTP (router.ts), which needs no Redis: votes are still taken
//   while Redis restarts, and phones get fresh snapshots once it is back.
import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { createClient } from "redis";
import type { Database } from "../db/database.ts";
import { createLeases, isLeaseRefusal, LeaseLostError, type Leases } from "../db/room-leases.ts";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import type { SessionBroadcaster } from "../session/broadcaster.ts";
import type { LimiterFactory } from "../session/limiters.ts";
import type { RoomCalls, RoomRouter } from "../session/room-calls.ts";
import type { LiveSession, RoomFence, SessionHost } from "../session/session-host.ts";
import { clusterRoutes, createClusterRouter } from "./router.ts";

export interface ClusterOptions {
  redisUrl: string;
  /** Shared by the processes: forwarded calls carry it. */
  secret: string;
  /** This process's own id, and the URL the others reach it at (known once it listens). */
  owner: string;
  address: () => string;
  prisma: Database["prisma"];
  logger: Logger;
  /** How long a lease outlives its owner's last renewal (default 3 s; renewed every second). */
  leaseTtlMs?: number;
}

export interface ClusterRuntime {
  router: RoomRouter;
  routes: ReturnType<typeof clusterRoutes>;
}

export interface Cluster {
  adapter: ReturnType<typeof createAdapter>;
  limiters: LimiterFactory;
  fence: RoomFence;
  /** The Prisma client the stores write through, so a room's writes join its lease transaction. */
  prisma: Database["prisma"];
  leases: Leases;
  /** Starts owning rooms: renewing, taking over orphans, answering forwarded calls. */
  start(deps: { host: SessionHost; calls: RoomCalls; broadcaster: SessionBroadcaster }): ClusterRuntime;
  /** The first step of closing: take no more rooms (leases are still renewed while rooms settle). */
  stopTaking(): Promise<void>;
  close(): Promise<void>;
}

export class ClusterError extends Error {}

const RENEW_MS = 1_000;
const RECOUNT_MS = 30_000;

export async function connectRedis(url: string, logger: Logger, options: { offlineQueue: boolean }) {
  const client = createClient({ url, disableOfflineQueue: !options.offlineQueue, socket: { reconnectStrategy: (retries) => Math.min(100 + retries * 100, 1_000) } });
  let down = false;
  client.on("error", (error: Error) => {
    if (!down) logger.warn({ reason: error.message }, "Redis unreachable; retrying");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger.info("Redis reachable again");
    down = false;
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new ClusterError(`Cannot reach Redis at ${new URL(url).host} (REDIS_URL) within 5 s. Is it running?`)), 5_000).unref());
  await Promise.race([client.connect(), timeout]);
  return client;
}

/** The cluster REDIS_URL asks for, or null on one process. `port` is read once the server listens. */
export async function clusterFromEnv(env: Pick<Env, "REDIS_URL" | "CLUSTER_SECRET" | "CLUSTER_ADDRESS">, prisma: Database["prisma"], logger: Logger, port: () => number): Promise<Cluster | null> {
  if (!env.REDIS_URL || !env.CLUSTER_SECRET) return null;
  const owner = randomUUID();
  const cluster = await createCluster({
    redisUrl: env.REDIS_URL,
    secret: env.CLUSTER_SECRET,
    owner,
    address: () => env.CLUSTER_ADDRESS?.replace(/\/$/, "") ?? `http://127.0.0.1:${port()}`,
    prisma,
    logger: logger.child({ part: "cluster" }),
  });
  logger.info({ process: owner }, "sharing rooms with other processes through Redis and PostgreSQL");
  return cluster;
}

/** Limits counted in Redis, the same on every process; while Redis is away, each process counts alone. */
export function redisLimiters(client: ReturnType<typeof createClient>): LimiterFactory {
  return (options) => new RateLimiterRedis({ ...options, storeClient: client, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(options) });
}

export async function createCluster(o: ClusterOptions): Promise<Cluster> {
  const { logger } = o;
  // Broadcasts queue while Redis is away and go out in order once it is back; rate limits fail over
  // to memory at once instead of waiting.
  const pub = await connectRedis(o.redisUrl, logger, { offlineQueue: true });
  const limits = await connectRedis(o.redisUrl, logger, { offlineQueue: false });
  const leases = createLeases({ prisma: o.prisma, owner: o.owner, get address() { return o.address(); }, ttlMs: o.leaseTtlMs ?? 3_000 });
  let onLost: (code: string) => void = () => undefined;
  let onBroadcastsBack: () => void = () => undefined;
  // Connected by now: every later "ready" is Redis coming back.
  pub.on("ready", () => onBroadcastsBack());

  const fence: RoomFence = {
    bind(code) {
      // Not held: the database still decides (fence -1 is never current), so nothing is skipped by good behaviour.
      const held = leases.held.get(code) ?? -1;
      return async (fn) => {
        try {
          return await leases.write(code, held, fn);
        } catch (error) {
          if (!isLeaseRefusal(error)) throw error;
          if (leases.held.get(code) === held) onLost(code);
          throw new LeaseLostError(code);
        }
      };
    },
    async claim(code) {
      if ((await leases.acquire(code)) !== "acquired") throw new Error(`a new room ${code} is already owned`);
    },
    release: (code) => leases.release(code),
  };

  const timers: NodeJS.Timeout[] = [];
  let stopping = false;
  /** Rooms being taken here, until loaded. */
  const adopting = new Map<string, Promise<unknown>>();
  const every = (ms: number, task: () => Promise<unknown>, what: string) => {
    let running = false;
    const t = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error: unknown) => logger.warn({ err: error }, what))
        .finally(() => (running = false));
    }, ms);
    t.unref();
    timers.push(t);
  };

  return {
    // One stream keeps every broadcast in order; entries are read a thousand at a time, and a
    // reveal to 5,000 phones (one entry each) fits in it many times over.
    adapter: createAdapter(pub, { maxLen: 200_000, readCount: 1_000 }),
    limiters: redisLimiters(limits),
    fence,
    prisma: leases.scoped(),
    leases,

    start({ host, calls, broadcaster }) {
      /** Each participant's connections, as the room believes now, or `as` for everyone. */
      const connectionsOf = (live: LiveSession, as?: number) => Object.fromEntries([...live.sources.state.session.participants.values()].map((p) => [p.id, as ?? p.connections]));
      /** Counts the phones connected to every process, so a room taken over knows who is there. */
      async function recount(code: string) {
        const live = await host.session(code);
        if (!live) return;
        const before = connectionsOf(live);
        const connections = await broadcaster.connections(code);
        await host.dispatch(live, { to: "session", command: { type: "recount", connections, before } });
      }
      /** A room this process has just taken: nothing stale in memory, loaded afresh, everyone told. */
      async function adopt(code: string) {
        await host.evict(code);
        const live = await host.session(code);
        if (!live) return;
        logger.info({ session: code, fence: leases.held.get(code) }, "session taken over");
        // Phones on the other processes stay connected and will not say so again, and a room loads with
        // nobody connected: until a count answers, everyone is taken as connected, so nobody misses a snapshot.
        await host.dispatch(live, { to: "session", command: { type: "recount", connections: connectionsOf(live, 1), before: connectionsOf(live) } });
        // The adapter only hears from a process that died when its heartbeat times out (10 s), and
        // counting waits for every process it knows: try again until that is past.
        for (const delay of [0, 6_000, 12_000]) {
          setTimeout(() => {
            if (!leases.held.has(code)) return;
            recount(code)
              .then(() => host.resend([code]))
              .catch((error: unknown) => logger.debug({ err: error, session: code }, "recount after takeover failed; trying again"));
          }, delay).unref();
        }
      }
      // Taking a room: calls for it wait (router's `ready`) until it is loaded, so none runs on a copy adopt drops.
      function take(code: string): Promise<"acquired" | "taken" | "missing"> {
        const pending = adopting.get(code);
        if (pending) return pending.then(() => "taken" as const);
        const taking = (async () => {
          const got = stopping ? "taken" : await leases.acquire(code);
          if (got === "acquired") await adopt(code);
          return got;
        })().finally(() => adopting.delete(code));
        adopting.set(code, taking);
        return taking;
      }
      onLost = (code) => {
        leases.held.delete(code);
        void host.evict(code);
      };
      onBroadcastsBack = () => {
        // Whatever was broadcast while Redis was away may be lost: every room here sends a fresh snapshot.
        logger.info("broadcasts back: sending every room fresh snapshots");
        setTimeout(() => host.resend(), 500).unref();
      };

      every(RENEW_MS, async () => {
        for (const code of await leases.renew()) {
          logger.warn({ session: code }, "lease lost to another process");
          await host.evict(code);
        }
      }, "renewing room leases failed");
      every(RENEW_MS, async () => {
        for (const code of await leases.orphans()) await take(code);
      }, "taking over orphaned rooms failed");
      every(RECOUNT_MS, async () => {
        for (const code of leases.held.keys()) await recount(code);
      }, "recounting connections failed");

      const ready = (code: string) => adopting.get(code);
      return { router: createClusterRouter({ leases, calls, secret: o.secret, logger, take, ready, mayTake: () => !stopping }), routes: clusterRoutes({ leases, calls, secret: o.secret, logger }) };
    },

    async stopTaking() {
      stopping = true;
      await Promise.allSettled([...adopting.values()]);
    },

    async close() {
      stopping = true;
      for (const t of timers) clearInterval(t);
      for (const code of [...leases.held.keys()]) await leases.release(code).catch(() => undefined);
      await Promise.allSettled([pub.disconnect(), limits.disconnect()]);
    },
  };
}
