// The shell around the session's rules and its activities'. It keeps live sessions in memory
// (loading them from the database on demand, e.g. after a restart) and runs one mailbox per
// session: the commands waiting are applied in order, their writes committed together, and only
// then does the state in memory change and anyone hear of it. A write that fails takes its own
// command back out (the rest are applied again without it), so memory never runs ahead of the
// database. Then the effects: snapshots, counts, timers, kicks, and jobs whose answers come back as
// commands.
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import type { ErrorCode, Outcome } from "../../contract/protocol/errors.ts";
import type { PlanBody } from "../../contract/protocol/lesson-plan.ts";
import type { InferencePort, ModelInfo } from "../../contract/inference/port.ts";
import type { Logger } from "../logger.ts";
import type { ActivityLive, ActivityModule, ActivityStore, Audience, Effect } from "./activity.ts";
import type { SessionBroadcaster } from "./broadcaster.ts";
import { applyHost, type HostCommand, type HostContext, type HostState, type OwnedEffect, type RulesMap } from "./host-machine.ts";
import { joinUrlFor, qrSvg } from "./join-link.ts";
import { liveOrLoad } from "./live-or-load.ts";
import { generateRoomCode } from "./room-code.ts";
import { participantRowOf, sessionRowOf, sessionStateFromStored } from "./session-records.ts";
import type { SessionOp } from "./session-rules.ts";
import type { SnapshotSources } from "./session-snapshot.ts";
import { newSessionState, type ParticipantState } from "./session-state.ts";
import type { SessionStore } from "./session-store.ts";
import { writeBatch, type OwnerStores, type PendingWrite } from "./session-writer.ts";

export type ModuleMap = { [K in ActivityKind]: ActivityModule<K, never, never, never, never> };
export type ActivityStores = Record<ActivityKind, ActivityStore>;

export interface SessionHostDeps {
  sessions: SessionStore;
  stores: ActivityStores;
  modules: ModuleMap;
  inference: InferencePort | null;
  broadcaster: SessionBroadcaster;
  logger: Logger;
  clock: () => Date;
  /** Uniform in [0, 1): room codes and seeds. */
  rng: () => number;
  newId: () => string;
  /** Most phones one room admits (default 1,000). */
  capacity?: number;
  /** A session nobody watches and nothing runs in leaves memory after this long (default 15 min; an ended one after 1 min). */
  idleUnloadMs?: number;
  /** Who may write a room's rows when several processes run (server/cluster); none on one process. */
  fence?: RoomFence;
}

/** Makes a room's writes commit only while this process owns the room (a lease in the database). */
export interface RoomFence {
  /**
   * A writer for a room just loaded or created: its writes carry the lease held now, so a copy left
   * over from an earlier ownership can never write under a later one.
   */
  bind(code: string): <T>(fn: () => Promise<T>) => Promise<T>;
  /** A room this process has just created is its own. */
  claim(code: string): Promise<void>;
  /** This process is done with the room (it left memory); the next one to need it takes it. */
  release(code: string): Promise<void>;
}

const UNFENCED: RoomFence = { bind: () => (fn) => fn(), claim: async () => undefined, release: async () => undefined };

export interface LiveSession {
  state: HostState;
  /** Everything a snapshot is rendered from; `state` always reads the live value. */
  sources: SnapshotSources;
  lives: Record<ActivityKind, ActivityLive>;
  /** Participant token hash → id. Append-only: a participant's token never changes. */
  tokenIndex: Map<string, string>;
  queue: Item[];
  pumping: Promise<void> | null;
  /** Runs a group of the room's writes under its lease (RoomFence.bind). */
  write: <T>(fn: () => Promise<T>) => Promise<T>;
  timers: Map<string, NodeJS.Timeout>;
  jobs: Set<Promise<unknown>>;
  /** Jobs in flight by key, so a repeated request joins the one already running. */
  keyed: Map<string, Promise<ErrorCode | null>>;
  /** Clock ms of the last command or handshake, for unloading idle sessions. */
  lastActive: number;
}

export type Dispatched = { ok: true; before: HostState; after: HostState } | { ok: false; code: ErrorCode };

interface Item {
  command: HostCommand;
  resolve: (result: Dispatched) => void;
}

export interface CreateSessionInput {
  ownerId: string;
  title: string;
  model?: string;
  prompts: string[];
  plan: (PlanBody & { id: string }) | null;
  joinBase: string;
}

export interface SessionHost {
  create(input: CreateSessionInput): Promise<Outcome<LiveSession>>;
  /** The live session for a code, loaded from the database when it is not in memory; null when unknown. */
  session(code: string): Promise<LiveSession | null>;
  dispatch(live: LiveSession, command: HostCommand): Promise<Dispatched>;
  /** The participant a phone's token belongs to, or null. */
  participantByTokenHash(live: LiveSession, tokenHash: string): ParticipantState | null;
  models(): ModelInfo[];
  defaultModel(): string | null;
  newId(): string;
  /** Drops idle sessions from memory (see SessionHostDeps.idleUnloadMs); returns their codes. */
  unloadIdle(): Promise<string[]>;
  /** Forgets a session at once, writing nothing: another process owns it now. */
  evict(code: string): Promise<void>;
  /** Sends fresh snapshots and counts to everyone in the sessions here: after a takeover, or when broadcasts were lost. */
  resend(codes?: string[]): void;
  /** Deletes a session with all its students' data, live or not; its sockets are disconnected. */
  remove(code: string): Promise<boolean>;
  /** The retention purge: removes the sessions created before the cutoff; returns how many. */
  purgeCreatedBefore(cutoffMs: number): Promise<number>;
  /** Waits for pending commands, writes and jobs, and clears timers (shutdown and tests). */
  close(): Promise<void>;
}

/** How long the first command of a burst waits for others to share its write. */
const GROUP_COMMIT_MS = 2;
const MAX_BATCH = 2000;

/** A rule's clock and randomness, recorded so the same command can be applied again identically. */
function recorded(ctx: { now: number; rng: () => number; models: readonly ModelInfo[] }) {
  const draws: number[] = [];
  const live: HostContext = { now: ctx.now, models: ctx.models, rng: () => {
    const v = ctx.rng();
    draws.push(v);
    return v;
  } };
  return {
    ctx: live,
    replay(): HostContext {
      let i = 0;
      return { now: ctx.now, models: ctx.models, rng: () => draws[i++] ?? ctx.rng() };
    },
  };
}

export function createSessionHost(deps: SessionHostDeps): SessionHost {
  const { sessions, stores, modules, inference, broadcaster, logger, clock, rng, newId } = deps;
  const fence = deps.fence ?? UNFENCED;
  const rules = Object.fromEntries(Object.entries(modules).map(([k, m]) => [k, m.rules])) as unknown as RulesMap;
  const kinds = Object.keys(modules) as ActivityKind[];
  const live = new Map<string, LiveSession>();
  const loading = new Map<string, Promise<LiveSession | null>>();
  const models = () => inference?.status().models ?? [];
  // µs since the epoch: snapshot seq numbers keep growing across restarts.
  const seqBase = () => clock().getTime() * 1000;

  const sessionStore: ActivityStore<HostState, SessionOp> = {
    load: async () => {
      throw new Error("sessions are loaded by the host");
    },
    opKind: (op) => op.kind,
    async write(_id, ops, state) {
      if (ops[0]!.kind === "session") return sessions.updateSession(sessionRowOf(state.session));
      await sessions.upsertParticipants(ops.flatMap((op) => (op.kind === "participant" ? [participantRowOf(state.session.meta.id, op.participant)] : [])));
    },
  };
  const ownerStores = { session: sessionStore, ...stores } as OwnerStores;

  function makeLive(state: HostState): LiveSession {
    const lives = {} as Record<ActivityKind, ActivityLive>;
    const room: LiveSession = {
      state,
      lives,
      sources: null as unknown as SnapshotSources,
      tokenIndex: new Map(),
      queue: [],
      pumping: null,
      write: fence.bind(state.session.meta.code),
      timers: new Map(),
      jobs: new Set(),
      keyed: new Map(),
      lastActive: clock().getTime(),
    };
    room.sources = {
      get state() {
        return room.state;
      },
      rules,
      lives,
      get models() {
        return models();
      },
    };
    for (const kind of kinds) {
      lives[kind] = (modules[kind] as unknown as ActivityModule).live({
        store: stores[kind],
        inference,
        logger,
        clock,
        announce: (audience) => announce(room, [audience]),
        fenced: (fn) => room.write(fn),
      });
    }
    live.set(state.session.meta.code, room);
    return room;
  }

  function announce(room: LiveSession, audiences: Audience[]): void {
    if (audiences.some((a) => a.to === "everyone")) return broadcaster.snapshot(room.sources, { to: "everyone" });
    const sent = new Set<string>();
    for (const a of audiences) {
      const key = a.to === "participant" ? a.participantId : a.to;
      if (sent.has(key)) continue;
      sent.add(key);
      broadcaster.snapshot(room.sources, a);
    }
  }

  function dispatch(room: LiveSession, command: HostCommand): Promise<Dispatched> {
    room.lastActive = clock().getTime();
    return new Promise((resolve) => {
      room.queue.push({ command, resolve });
      room.pumping ??= (async () => {
        await new Promise((r) => setTimeout(r, GROUP_COMMIT_MS));
        while (room.queue.length > 0) await pump(room);
        room.pumping = null;
      })();
    });
  }

  async function pump(room: LiveSession): Promise<void> {
    const items = room.queue.splice(0, MAX_BATCH);
    const start = room.state;
    interface Applied {
      item: Item;
      replay: () => HostContext;
      before: HostState;
      effects: OwnedEffect[];
    }
    const applyAll = (entries: { item: Item; ctx: () => HostContext; replay: () => HostContext }[]): { state: HostState; applied: Applied[] } => {
      let state = start;
      const applied: Applied[] = [];
      for (const e of entries) {
        const result = applyHost(state, e.item.command, e.ctx(), rules);
        if (!result.ok) {
          e.item.resolve(result);
          continue;
        }
        applied.push({ item: e.item, replay: e.replay, before: state, effects: result.effects });
        state = result.state;
      }
      return { state, applied };
    };
    const now = clock().getTime();
    const first = items.map((item) => {
      const r = recorded({ now, rng, models: models() });
      return { item, ctx: () => r.ctx, replay: r.replay };
    });
    let { state, applied } = applyAll(first);
    const writes: PendingWrite[] = applied.flatMap((a, command) => a.effects.flatMap((e) => (e.effect.type === "persist" ? [{ owner: e.owner, op: e.effect.op, command }] : [])));
    if (writes.length > 0) {
      let failed: Set<number>;
      try {
        failed = await writeBatch(ownerStores, start.session.meta.id, writes, state, {
          scope: (fn) => room.write(fn),
          onError: (error, w) => logger.error({ err: error, owner: w.owner }, "write failed; its command is not applied"),
        });
      } catch (error) {
        logger.error({ err: error }, "write batch failed");
        failed = new Set(applied.map((_, i) => i));
      }
      if (failed.size > 0) {
        for (const i of failed) applied[i]!.item.resolve({ ok: false, code: "internal" });
        // The others again, from the same start, with the same clock and randomness.
        ({ state, applied } = applyAll(applied.flatMap((a, i) => (failed.has(i) ? [] : [{ item: a.item, ctx: a.replay, replay: a.replay }]))));
      }
    }
    room.state = state;
    const audiences: Audience[] = [];
    let counts = false;
    for (const a of applied) {
      const waits: Promise<ErrorCode | null>[] = [];
      for (const { owner, effect } of a.effects) {
        const e = effect as Effect;
        switch (e.type) {
          case "persist":
            break;
          case "announce":
            audiences.push(e.audience);
            break;
          case "counts":
            counts = true;
            break;
          case "setTimer": {
            clearTimeout(room.timers.get(e.key));
            const timer = setTimeout(() => {
              room.timers.delete(e.key);
              void dispatch(room, { to: "activity", kind: owner as ActivityKind, command: e.command as { type: string } });
            }, e.delayMs);
            timer.unref();
            room.timers.set(e.key, timer);
            break;
          }
          case "clearTimer":
            clearTimeout(room.timers.get(e.key));
            room.timers.delete(e.key);
            break;
          case "disconnect":
            broadcaster.kick(state.session.meta.code, e.participantId);
            break;
          case "run": {
            const job = runJob(room, owner as ActivityKind, e.job, e.key);
            if (e.wait) waits.push(job);
            break;
          }
        }
      }
      const resolveItem = (code: ErrorCode | null) => a.item.resolve(code ? { ok: false, code } : { ok: true, before: a.before, after: room.state });
      if (waits.length === 0) resolveItem(null);
      else void Promise.all(waits).then((codes) => resolveItem(codes.find((c) => c !== null) ?? null));
    }
    if (audiences.length > 0) announce(room, audiences);
    if (counts) broadcaster.counts(room.sources);
  }

  /** Runs a job; its commands are dispatched in order. Resolves with the error the job reported, if any. */
  function runJob(room: LiveSession, kind: ActivityKind, job: unknown, key?: string): Promise<ErrorCode | null> {
    const running = key ? room.keyed.get(key) : undefined;
    if (running) return running;
    const promise = (async () => {
      try {
        const outcome = await room.lives[kind].run(job, () => room.state.activities[kind]);
        for (const command of outcome.commands ?? []) {
          const r = await dispatch(room, { to: "activity", kind, command: command as { type: string } });
          if (!r.ok) {
            if (outcome.ifUncommitted) await dispatch(room, { to: "activity", kind, command: outcome.ifUncommitted as { type: string } });
            return outcome.code ?? r.code;
          }
        }
        if (outcome.announce?.length) announce(room, outcome.announce);
        return outcome.code ?? null;
      } catch (error) {
        logger.error({ err: error, kind }, "activity job failed");
        return "internal" as const;
      }
    })();
    room.jobs.add(promise);
    if (key) room.keyed.set(key, promise);
    void promise.finally(() => {
      room.jobs.delete(promise);
      if (key) room.keyed.delete(key);
    });
    return promise;
  }

  async function load(code: string): Promise<LiveSession | null> {
    const stored = await sessions.loadSession(code);
    if (!stored) return null;
    const existing = live.get(code);
    if (existing) return existing;
    const session = sessionStateFromStored(stored, await qrSvg(stored.session.joinUrl), seqBase());
    const activities = {} as HostState["activities"];
    for (const kind of kinds) activities[kind] = await stores[kind].load(session);
    const room = makeLive({ session, activities });
    await dispatch(room, { to: "resume" });
    logger.info({ code, current: session.current?.kind ?? null }, "session resumed from the database");
    return room;
  }

  /**
   * Memory stays flat over a school day: a session that nobody watches, with nothing queued, running
   * or timed, is dropped; its state is in the database and the next handshake loads it again.
   */
  async function unloadIdle(): Promise<string[]> {
    const now = clock().getTime();
    const idleMs = deps.idleUnloadMs ?? 15 * 60_000;
    const dropped: string[] = [];
    for (const [code, room] of live) {
      const limit = room.state.session.status === "ended" ? Math.min(idleMs, 60_000) : idleMs;
      const busy = room.queue.length > 0 || room.pumping !== null || room.jobs.size > 0 || room.timers.size > 0 || room.keyed.size > 0;
      // On several processes, phones connected to the others are not this server's sockets; the state counts them.
      const phones = deps.fence !== undefined && [...room.state.session.participants.values()].some((p) => p.connections > 0);
      if (busy || now - room.lastActive < limit || phones || broadcaster.watchers(code) > 0) continue;
      // The lease first: a call arriving meanwhile takes the room afresh instead of using this copy.
      await fence.release(code);
      await drop(code, room);
      dropped.push(code);
    }
    if (dropped.length) logger.info({ sessions: dropped }, "idle sessions unloaded from memory");
    return dropped;
  }

  function resend(codes: string[] = [...live.keys()]): void {
    for (const code of codes) {
      const room = live.get(code);
      if (!room) continue;
      announce(room, [{ to: "everyone" }]);
      broadcaster.counts(room.sources);
    }
  }

  /** Takes a session out of memory, writing nothing: its timers stop and its activities close. */
  async function drop(code: string, room: LiveSession): Promise<void> {
    live.delete(code);
    for (const timer of room.timers.values()) clearTimeout(timer);
    room.timers.clear();
    for (const l of Object.values(room.lives)) await l.close?.();
    broadcaster.forget(code);
  }

  async function evict(code: string): Promise<void> {
    const room = live.get(code);
    if (!room) return;
    await drop(code, room);
    logger.warn({ session: code }, "session handed over to another process");
  }

  /** Lets queued commands, writes and jobs finish, then stops the session's timers and activities. */
  async function settle(room: LiveSession): Promise<void> {
    while (room.pumping || room.jobs.size > 0) {
      await room.pumping;
      await Promise.allSettled([...room.jobs]);
    }
    for (const timer of room.timers.values()) clearTimeout(timer);
    room.timers.clear();
    for (const l of Object.values(room.lives)) await l.close?.();
  }

  /** Deletes the rows, then drops the session from memory if it is there (nothing is loaded to delete it). */
  async function removeStored(id: string, code: string): Promise<void> {
    const room = live.get(code);
    if (room) await settle(room);
    // the database first: a phone reconnecting in between must not load the session back
    await sessions.deleteSession(id);
    live.delete(code);
    broadcaster.disconnectAll(code);
    broadcaster.forget(code);
    logger.info({ session: code }, "session and its students' data deleted");
  }

  async function remove(code: string): Promise<boolean> {
    const room = await liveOrLoad(live, loading, code, load);
    if (!room) return false;
    await removeStored(room.state.session.meta.id, code);
    return true;
  }

  async function purgeCreatedBefore(cutoffMs: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await sessions.sessionsCreatedBefore(cutoffMs, 100);
      for (const s of batch) await removeStored(s.id, s.code);
      removed += batch.length;
      if (batch.length < 100) return removed;
    }
  }

  function pickModel(requested: string | undefined): Outcome<ModelInfo> {
    const status = inference?.status();
    if (!status || status.models.length === 0) return { ok: false, code: "model_unavailable" };
    const id = requested ?? status.defaultModel ?? status.models[0]!.id;
    const model = status.models.find((m) => m.id === id);
    return model ? { ok: true, data: model } : { ok: false, code: "model_not_found" };
  }

  return {
    async create(input) {
      const model = pickModel(input.model);
      if (!model.ok) return model;
      for (let attempt = 0; attempt < 20; attempt++) {
        const code = generateRoomCode(rng);
        const joinUrl = joinUrlFor(input.joinBase, code);
        const meta = {
          id: newId(),
          code,
          title: input.title,
          ownerId: input.ownerId,
          model: { id: model.data.id, name: model.data.name, sha256: model.data.sha256 },
          joinUrl,
          qrSvg: await qrSvg(joinUrl),
          prompts: input.prompts,
          plan: input.plan,
          capacity: deps.capacity ?? 1000,
          createdAt: clock().getTime(),
        };
        const session = newSessionState(meta, seqBase());
        const created = await sessions.createSession(sessionRowOf(session));
        if (!created.ok) continue;
        await fence.claim(code);
        const activities = Object.fromEntries(kinds.map((k) => [k, rules[k].initial()])) as HostState["activities"];
        return { ok: true, data: makeLive({ session, activities }) };
      }
      throw new Error("no free room code after 20 attempts");
    },

    async session(code) {
      const room = await liveOrLoad(live, loading, code, load);
      if (room) room.lastActive = clock().getTime();
      return room;
    },

    unloadIdle,
    evict,
    resend,
    remove,
    purgeCreatedBefore,
    dispatch,

    participantByTokenHash(room, tokenHash) {
      let id = room.tokenIndex.get(tokenHash);
      if (id === undefined) {
        // Rebuilt only on a miss, so a reconnect storm after a restart costs one pass, not one per phone.
        for (const p of room.state.session.participants.values()) room.tokenIndex.set(p.tokenHash, p.id);
        id = room.tokenIndex.get(tokenHash);
      }
      return id === undefined ? null : (room.state.session.participants.get(id) ?? null);
    },

    models,
    defaultModel: () => inference?.status().defaultModel ?? null,
    newId,

    async close() {
      for (const room of live.values()) {
        await settle(room);
        broadcaster.forget(room.state.session.meta.code);
      }
    },
  };
}
