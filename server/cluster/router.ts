// Where a room's calls run: here when this process holds the room's lease (taking it when nobody
// does), otherwise at its owner, forwarded over HTTP to the address in the lease. A call whose owner
// does not answer is sent again only once that owner has lost its lease (a new fence): a frozen
// owner that wakes up and runs it after all is refused by the database. The calls of one event-loop
// turn for one room leave together, in one request to its owner.
import { timingSafeEqual } from "node:crypto";
import express from "express";
import { z } from "zod";
import { roomCodeSchema } from "../../contract/protocol/session.ts";
import type { Logger } from "../logger.ts";
import type { RoomCall, RoomCallKind, RoomCalls, RoomReply, RoomRouter } from "../session/room-calls.ts";
import { isLeaseRefusal, LeaseLostError, type Leases } from "../db/room-leases.ts";

export const CLUSTER_SECRET_HEADER = "x-token-hat-cluster";
/** How long a call may wait for an owner that stopped answering to be replaced. */
const DEADLINE_MS = 12_000;
const OWNER_CACHE_MS = 2_000;
const BATCH_MAX = 500;

interface Remote {
  address: string;
  fence: number;
}

type Forwarded = { reply: RoomReply<RoomCallKind> | null } | "moved" | "silent" | Error;
interface Outgoing {
  call: RoomCall;
  done: (answer: Forwarded) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createClusterRouter(deps: {
  leases: Leases;
  calls: RoomCalls;
  secret: string;
  logger: Logger;
  /** Takes the room when nobody holds it: the lease, then the room loaded here. */
  take: (code: string) => Promise<"acquired" | "taken" | "missing">;
  /** Set while this process is taking the room: settles once it is loaded. */
  ready: (code: string) => Promise<unknown> | undefined;
  /** False while this process shuts down: it still forwards, but takes no room. */
  mayTake: () => boolean;
}): RoomRouter {
  const { leases, calls, secret } = deps;
  const owners = new Map<string, Remote & { at: number }>();
  // A burst of calls for a room whose owner is not known yet (a class voting at once) asks the database once.
  const lookups = new Map<string, Promise<"here" | Remote | null>>();

  /** The room's owner: "here", another process, or null when there is no such room. */
  function locate(code: string): Promise<"here" | Remote | null> {
    if (leases.held.has(code)) return (deps.ready(code) ?? Promise.resolve()).then(() => "here" as const);
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
    for (let attempt = 0; attempt < 40; attempt++) {
      if (leases.held.has(code) || deps.ready(code)) {
        await deps.ready(code);
        if (leases.held.has(code)) return "here";
        continue;
      }
      const holder = await leases.holder(code);
      if (holder?.live && holder.owner !== leases.owner) {
        const remote = { address: holder.address, fence: holder.fence, at: Date.now() };
        owners.set(code, remote);
        return remote;
      }
      if (holder?.live || !deps.mayTake()) {
        await sleep(100); // ours, being released; or this process is closing and another one will take it
        continue;
      }
      const got = await deps.take(code);
      if (got === "missing") return null;
      if (got === "acquired") return "here";
    }
    throw new Error(`room ${code}: its lease keeps changing hands`);
  }

  // Whether an owner still holds a room is asked at most every 250 ms, however many calls wait on it.
  const checks = new Map<string, { at: number; holder: ReturnType<Leases["holder"]> }>();
  function replaced(code: string, was: Remote): Promise<boolean> {
    let check = checks.get(code);
    if (!check || Date.now() - check.at > 250) {
      check = { at: Date.now(), holder: leases.holder(code) };
      checks.set(code, check);
    }
    // A lease that ran out but was not taken yet is not a new owner: its old one may still answer.
    return check.holder.then((h) => !h || h.fence !== was.fence);
  }

  /** Waits until the unanswering owner's lease has expired or changed hands; false when it still holds it at the deadline. */
  async function ownerReplaced(code: string, was: Remote, deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      if (await replaced(code, was)) return true;
      await sleep(250);
    }
    return false;
  }

  // A class voting at once is then a few requests to the owner, not one per phone.
  const outboxes = new Map<string, Outgoing[]>();

  function forward<K extends RoomCallKind>(to: Remote, code: string, call: RoomCall<K>): Promise<{ reply: RoomReply<K> | null } | "moved" | "silent" | Error> {
    return new Promise((done) => {
      // One request per owner and room: a room that moved gives up its own calls only.
      const key = `${to.address} ${code}`;
      let outbox = outboxes.get(key);
      if (!outbox) {
        outbox = [];
        outboxes.set(key, outbox);
        setImmediate(() => {
          outboxes.delete(key);
          for (let i = 0; i < outbox!.length; i += BATCH_MAX) void send(to, code, outbox!.slice(i, i + BATCH_MAX));
        });
      }
      outbox.push({ call, done: done as (r: Forwarded) => void });
    });
  }

  async function send(to: Remote, code: string, batch: Outgoing[]): Promise<void> {
    const { address } = to;
    // A slow owner gets until the deadline; one that lost its lease (frozen, cut off) is given up on at
    // once, since the database refuses whatever it still tries to write.
    const gone = new AbortController();
    const watch = setInterval(() => {
      void replaced(code, to).then((yes) => yes && gone.abort(new DOMException("owner replaced", "TimeoutError")), () => {});
    }, 500);
    let answers: Forwarded[];
    try {
      const res = await fetch(`${address}/internal/rooms`, {
        method: "POST",
        headers: { "content-type": "application/json", [CLUSTER_SECRET_HEADER]: secret },
        body: JSON.stringify({ calls: batch.map(({ call }) => ({ code, call })) }),
        signal: AbortSignal.any([gone.signal, AbortSignal.timeout(DEADLINE_MS)]),
      });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      answers = ((await res.json()) as { answers: Array<{ reply: RoomReply<RoomCallKind> | null } | "moved" | "failed"> }).answers.map((a) =>
        a === "failed" ? new Error(`the owner at ${address} failed the call`) : a,
      );
    } catch (error) {
      const silent = error instanceof Error && (error.name === "TimeoutError" || error instanceof TypeError);
      answers = batch.map(() => (silent ? "silent" : new Error(`room call to ${address}: ${String(error)}`)));
    }
    clearInterval(watch);
    batch.forEach((b, i) => b.done(answers[i] ?? new Error(`the owner at ${address} answered too few calls`)));
  }

  return {
    async call(code, call) {
      const deadline = Date.now() + DEADLINE_MS;
      for (let tries = 1; ; tries++) {
        const where = await locate(code);
        if (where === null) return null;
        if (where === "here") return calls.run(code, call);
        const result = await forward(where, code, call);
        if (result instanceof Error) throw result;
        if (typeof result === "object") return result.reply;
        owners.delete(code);
        // An owner that is slow, not gone, may still run the call: it is never sent twice to the same lease.
        if (result === "silent" && !(await ownerReplaced(code, where, deadline))) throw new Error(`room ${code}: its owner at ${where.address} did not answer in time`);
        // "moved" while the lease row still names the old owner (it is letting the room go): wait a little, more each time.
        if (result === "moved") await sleep(Math.min(25 * tries, 250));
        if (Date.now() > deadline) throw new Error(`room ${code}: no owner answered in time`);
      }
    },
  };
}

const callSchema = z.looseObject({ kind: z.enum(["admit", "welcome", "event", "disconnect", "info", "remove"]) });
const batchSchema = z.object({ calls: z.array(z.object({ code: roomCodeSchema, call: callSchema })).min(1).max(BATCH_MAX) });

const sameSecret = (given: string | undefined, secret: string) => {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The owner's side: calls forwarded by the other processes, for rooms this one holds. */
export function clusterRoutes(deps: { leases: Leases; calls: RoomCalls; secret: string; logger: Logger }): express.Router {
  const router = express.Router({ caseSensitive: true });
  // The secret before the body: nobody else gets a process to read 8 MB.
  const ours: express.RequestHandler = (req, res, next) => (sameSecret(req.get(CLUSTER_SECRET_HEADER), deps.secret) ? next() : void res.status(403).json({ error: "not a process of this cluster" }));
  router.post("/internal/rooms", ours, express.json({ limit: "8mb" }), async (req, res) => {
    const batch = batchSchema.safeParse(req.body);
    if (!batch.success) return void res.status(400).json({ error: "bad calls" });
    // Started in the order they came, so one phone's calls and the room's order stay as sent.
    const answers = await Promise.all(
      batch.data.calls.map(({ code, call }) => {
        if (!deps.leases.held.has(code)) return "moved" as const;
        return deps.calls.run(code, call as RoomCall).then(
          (reply) => ({ reply }),
          (error: unknown) => {
            // Refused by the database: nothing was written, so the sender may take it to the new owner.
            if (error instanceof LeaseLostError || isLeaseRefusal(error)) return "moved" as const;
            deps.logger.error({ err: error, session: code, kind: call.kind }, "forwarded call failed");
            return "failed" as const;
          },
        );
      }),
    );
    res.json({ answers });
  });
  return router;
}
