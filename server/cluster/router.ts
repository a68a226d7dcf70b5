// Where a room's calls run: here when this process holds the room's lease (taking it when nobody
// does), otherwise at its owner, forwarded over HTTP to the address in the lease. A call whose owner
// does not answer is sent again only once that owner has lost its lease (a new fence): a frozen
// owner that wakes up and runs it after all is refused by the database, so nothing runs twice.
import { timingSafeEqual } from "node:crypto";
import express from "express";
import { z } from "zod";
import { roomCodeSchema } from "../../contract/protocol/session.ts";
import type { Logger } from "../logger.ts";
import type { RoomCall, RoomCallKind, RoomCalls, RoomReply, RoomRouter } from "../session/room-calls.ts";
import type { Leases } from "../db/room-leases.ts";

export const CLUSTER_SECRET_HEADER = "x-token-hat-cluster";
/** How long a call may wait for an owner that stopped answering to be replaced. */
const DEADLINE_MS = 12_000;
const FORWARD_TIMEOUT_MS = 4_000;
const OWNER_CACHE_MS = 2_000;

interface Remote {
  address: string;
  fence: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createClusterRouter(deps: {
  leases: Leases;
  calls: RoomCalls;
  secret: string;
  logger: Logger;
  adopt: (code: string) => Promise<void>;
  /** False while this process shuts down: it still forwards, but takes no room. */
  mayTake: () => boolean;
}): RoomRouter {
  const { leases, calls, secret } = deps;
  const owners = new Map<string, Remote & { at: number }>();
  // A burst of calls for a room whose owner is not known yet (a class voting at once) asks the database once.
  const lookups = new Map<string, Promise<"here" | Remote | null>>();

  /** The room's owner: "here", another process, or null when there is no such room. */
  function locate(code: string): Promise<"here" | Remote | null> {
    if (leases.held.has(code)) return Promise.resolve("here");
    const cached = owners.get(code);
    if (cached && Date.now() - cached.at < OWNER_CACHE_MS) return Promise.resolve(cached);
    let lookup = lookups.get(code);
    if (!lookup) {
      lookup = lookUp(code).finally(() => lookups.delete(code));
      lookups.set(code, lookup);
    }
    return lookup;
  }

  async function lookUp(code: string): Promise<"here" | Remote | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const holder = await leases.holder(code);
      if (holder?.live && holder.owner !== leases.owner) {
        const remote = { address: holder.address, fence: holder.fence, at: Date.now() };
        owners.set(code, remote);
        return remote;
      }
      if (!holder?.live) {
        if (!deps.mayTake()) return null;
        const got = await leases.acquire(code);
        if (got === "missing") return null;
        if (got === "acquired") {
          await deps.adopt(code);
          return "here";
        }
      } else await sleep(100); // ours, being released: wait for it to go
    }
    throw new Error(`room ${code}: its lease keeps changing hands`);
  }

  /** Waits until the unanswering owner's lease has expired or changed hands; false when it still holds it at the deadline. */
  async function ownerReplaced(code: string, was: Remote, deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      const holder = await leases.holder(code);
      if (!holder?.live || holder.fence !== was.fence) return true;
      await sleep(250);
    }
    return false;
  }

  async function forward<K extends RoomCallKind>(to: Remote, code: string, call: RoomCall<K>): Promise<{ reply: RoomReply<K> | null } | "moved" | "silent"> {
    let res: Response;
    try {
      res = await fetch(`${to.address}/internal/rooms/${code}`, {
        method: "POST",
        headers: { "content-type": "application/json", [CLUSTER_SECRET_HEADER]: secret },
        body: JSON.stringify(call),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
    } catch {
      return "silent";
    }
    if (res.status === 409) return "moved";
    if (!res.ok) throw new Error(`room ${code}: its owner at ${to.address} answered ${res.status}`);
    return (await res.json()) as { reply: RoomReply<K> | null };
  }

  return {
    async call(code, call) {
      const deadline = Date.now() + DEADLINE_MS;
      for (;;) {
        const where = await locate(code);
        if (where === null) return null;
        if (where === "here") return calls.run(code, call);
        const result = await forward(where, code, call);
        if (typeof result === "object") return result.reply;
        owners.delete(code);
        // An owner that is slow, not gone, may still run the call: it is never sent twice to the same lease.
        if (result === "silent" && !(await ownerReplaced(code, where, deadline))) throw new Error(`room ${code}: its owner at ${where.address} did not answer in time`);
        if (Date.now() > deadline) throw new Error(`room ${code}: no owner answered in time`);
      }
    },
  };
}

const callSchema = z.looseObject({ kind: z.enum(["admit", "welcome", "event", "disconnect", "info", "remove"]) });

const sameSecret = (given: string | undefined, secret: string) => {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The owner's side: calls forwarded by the other processes, for rooms this one holds. */
export function clusterRoutes(deps: { leases: Leases; calls: RoomCalls; secret: string; logger: Logger }): express.Router {
  const router = express.Router();
  router.post("/internal/rooms/:code", express.json({ limit: "256kb" }), (req, res) => {
    if (!sameSecret(req.get(CLUSTER_SECRET_HEADER), deps.secret)) return void res.status(403).json({ error: "not a process of this cluster" });
    const code = roomCodeSchema.safeParse(req.params.code);
    const call = callSchema.safeParse(req.body);
    if (!code.success || !call.success) return void res.status(400).json({ error: "bad call" });
    if (!deps.leases.held.has(code.data)) return void res.status(409).json({ moved: true });
    deps.calls.run(code.data, call.data as RoomCall).then(
      (reply) => res.json({ reply }),
      (error: unknown) => {
        deps.logger.error({ err: error, session: code.data, kind: call.data.kind }, "forwarded call failed");
        res.status(500).json({ error: "internal" });
      },
    );
  });
  return router;
}
