// The shell around the hat rules: keeps each room's game in memory (resuming it from the database
// after a restart), applies commands, and carries out the effects: database writes before anything
// is announced, batched model calls for hats and draws, and snapshots to the right sockets.
import type { HatStore } from "../db/hat-store.ts";
import type { InferencePort } from "../../contract/inference/port.ts";
import type { Logger } from "../logger.ts";
import type {
  Dial,
  DrawAck,
  EntropyCompareView,
  EntropySide,
  HatErrorCode,
  HatSnapshot,
  PlayerHatSnapshot,
  StaffHatSnapshot,
} from "../protocol/hat-protocol.ts";
import type { RoomPhase } from "../protocol/room-protocol.ts";
import { HatDrawService, type DrawRequest } from "./draw-service.ts";
import { DEFAULT_DIAL } from "./hat-dial.ts";
import { gameRow, stateFromStored, type StoredHatGame } from "./hat-records.ts";
import { applyHat, newHatGame } from "./hat-rules.ts";
import { shapeHat, type HatSource } from "./hat-shape.ts";
import { fillView, playerHatSnapshot, staffHatSnapshot, type PreparedHat } from "./hat-snapshot.ts";
import { nextBlank, storyPrefixIds, type FillState, type HatAudience, type HatCommand, type HatEffect, type HatGameState } from "./hat-state.ts";
import { builtInTemplate, parseTemplate, type HatTemplate } from "./hat-templates.ts";
import { RequestBatcher } from "./request-batcher.ts";
import { liveOrLoad } from "../rooms/live-or-load.ts";
import { inferenceErrorCode } from "../rooms/room-service.ts";

/** What the hat needs to know about a room; the rooms feature provides it (see app.ts). */
export interface HatRoomInfo {
  id: string;
  code: string;
  model: { id: string; sha256: string };
  phase: RoomPhase;
  paused: boolean;
  /** In join order, kicked ones included (their stories stay in the record but leave the gallery). */
  participants: { id: string; nickname: string; kicked: boolean; connected: boolean }[];
}

export interface HatRoomsPort {
  room(code: string): Promise<HatRoomInfo | null>;
}

export interface HatBroadcaster {
  toParticipant(code: string, participantId: string, snapshot: PlayerHatSnapshot): void;
  /** Phones that have not joined yet. */
  toGuests(code: string, snapshot: PlayerHatSnapshot): void;
  toStaff(code: string, viewer: "host" | "projector", snapshot: StaffHatSnapshot): void;
}

export interface HatServiceDeps {
  store: HatStore;
  inference: InferencePort | null;
  rooms: HatRoomsPort;
  broadcaster: HatBroadcaster;
  logger: Logger;
  clock: () => Date;
  rng: () => number;
  newId: () => string;
  /** How long hat and draw requests wait to share a model call (default 10 ms). */
  batchWindowMs?: number;
  /** Staff snapshots are throttled to one per this many ms (default 250). */
  staffThrottleMs?: number;
}

export type HatResult<T> = { ok: true; data: T } | { ok: false; code: HatErrorCode };

export interface StartInput {
  templateId?: string;
  text?: string;
  title?: string;
  maxTokens?: number;
  dial?: Dial;
}

export interface HatService {
  snapshot(code: string, viewer: "player" | "host" | "projector", participantId: string | null): Promise<HatSnapshot>;
  start(code: string, input: StartInput): Promise<HatResult<StaffHatSnapshot>>;
  setDial(code: string, dial: Dial): Promise<HatResult<StaffHatSnapshot>>;
  openNextBlank(code: string): Promise<HatResult<StaffHatSnapshot>>;
  finish(code: string): Promise<HatResult<StaffHatSnapshot>>;
  draw(code: string, participantId: string, gameId: string, blank: number): Promise<HatResult<DrawAck>>;
  /** A phone joined the room: it gets a story if a game is running. */
  joined(code: string, participantId: string): Promise<void>;
  /** True while the room's hat game is running, so no guess round may start. */
  running(code: string): Promise<boolean>;
  /** Every game of a room with its draws, for review and export. */
  games(roomId: string): Promise<StoredHatGame[]>;
  close(): Promise<void>;
}

interface LiveHat {
  code: string;
  state: HatGameState;
  entropy: EntropyCompareView | null;
  model: HatDrawService;
  hats: Map<string, PreparedHat & { source: HatSource }>;
  preparing: Set<string>;
  inflight: Map<string, Promise<{ fill: FillState; recorded: boolean }>>;
  hatBatcher: RequestBatcher<number[], HatSource>;
  drawBatcher: RequestBatcher<DrawRequest, FillState>;
}

class CodedError extends Error {
  constructor(readonly code: HatErrorCode) {
    super(code);
  }
}

/** The port's error codes, in the words of the protocol (the rooms' mapping), or a hat-only code. */
function inferenceCode(error: unknown): HatErrorCode {
  if (error instanceof CodedError) return error.code;
  return inferenceErrorCode(error);
}

export function createHatService(deps: HatServiceDeps): HatService {
  const { store, inference, rooms, broadcaster, logger, clock, rng } = deps;
  const windowMs = deps.batchWindowMs ?? 10;
  const live = new Map<string, LiveHat>();
  const loading = new Map<string, Promise<LiveHat | null>>();
  const staffTimers = new Map<string, { timer: NodeJS.Timeout; dirty: boolean }>();
  // µs since the epoch: snapshot seq numbers keep growing across restarts.
  const seqBase = () => clock().getTime() * 1000;

  function makeLive(code: string, state: HatGameState, entropy: EntropyCompareView | null, model: HatDrawService): LiveHat {
    const hat: LiveHat = {
      code,
      state,
      entropy,
      model,
      hats: new Map(),
      preparing: new Set(),
      inflight: new Map(),
      hatBatcher: new RequestBatcher((prefixes) => model.sources(prefixes), windowMs),
      drawBatcher: new RequestBatcher((requests) => model.drawFills(requests), windowMs),
    };
    live.set(code, hat);
    return hat;
  }

  async function load(code: string): Promise<LiveHat | null> {
    const room = await rooms.room(code);
    if (!room || !inference) return null;
    const stored = await store.latestGame(room.id);
    if (!stored) return null;
    const existing = live.get(code);
    if (existing) return existing;
    const order = room.participants.filter((p) => !p.kicked).map((p) => p.id);
    const state = { ...stateFromStored(stored, stored.game.status === "running" ? order : []), seq: seqBase() };
    const model = new HatDrawService(inference, { model: stored.game.modelId });
    const hat = makeLive(code, state, stored.game.entropy, model);
    try {
      await model.vocab(state.meta.segmentIds[0] ?? []);
    } catch (error) {
      logger.warn({ err: error, code }, "hat game resumed without a model; hats come back when it does");
    }
    if (state.status === "running") prepareHats(hat, waitingStories(hat));
    logger.info({ code, game: state.meta.id }, "hat game resumed from the database");
    return hat;
  }

  function current(code: string): Promise<LiveHat | null> {
    return liveOrLoad(live, loading, code, load);
  }

  const texts = (hat: LiveHat): readonly string[] => hat.model.vocabularyTexts;

  function waitingStories(hat: LiveHat): string[] {
    const { state } = hat;
    return state.order.filter((id) => {
      const story = state.stories[id];
      if (!story || story.pending) return false;
      const blank = nextBlank(state, story);
      return blank !== null && blank <= state.openBlank && hat.hats.get(id)?.blank !== blank;
    });
  }

  // ---------- effects ----------

  async function dispatch(hat: LiveHat, command: HatCommand): Promise<HatResult<HatGameState>> {
    const result = applyHat(hat.state, command, { now: clock().getTime(), rng });
    if (!result.ok) return result;
    hat.state = result.state;
    await runEffects(hat, result.effects);
    return { ok: true, data: hat.state };
  }

  async function runEffects(hat: LiveHat, effects: HatEffect[]): Promise<void> {
    // Nothing is announced before it is committed.
    if (effects.some((e) => e.type === "persistGame")) await store.updateGame(gameRow(hat.state, hat.entropy));
    for (const effect of effects) {
      switch (effect.type) {
        case "persistGame":
          break;
        case "prepareHats":
          prepareHats(hat, effect.participantIds);
          break;
        case "reshapeHats":
          for (const prepared of hat.hats.values()) prepared.shaped = shapeHat(prepared.source, hat.state.dial);
          break;
        case "draw":
          startDraw(hat, effect);
          break;
        case "snapshot":
          await send(hat, effect.audience);
          break;
      }
    }
  }

  /** Asks the model for these students' next hats; requests that arrive together share one call. */
  function prepareHats(hat: LiveHat, participantIds: string[]): void {
    for (const participantId of participantIds) {
      const story = hat.state.stories[participantId];
      if (!story || hat.preparing.has(participantId)) continue;
      const blank = nextBlank(hat.state, story);
      if (blank === null || blank > hat.state.openBlank) continue;
      hat.preparing.add(participantId);
      const prefix = storyPrefixIds(hat.state.meta, story, blank);
      hat.hatBatcher
        .enqueue(prefix)
        .then(async (source) => {
          const now = hat.state.stories[participantId];
          if (!now || nextBlank(hat.state, now) !== blank) return;
          hat.hats.set(participantId, { blank, source, shaped: shapeHat(source, hat.state.dial), modelEntropyBits: source.entropyBits });
          await send(hat, { to: "participant", participantId });
        })
        .catch((error: unknown) => logger.warn({ err: error, participantId }, "hat could not be computed"))
        .finally(() => hat.preparing.delete(participantId));
    }
  }

  function startDraw(hat: LiveHat, effect: Extract<HatEffect, { type: "draw" }>): void {
    const { participantId, blank, seed, dial } = effect;
    const key = `${participantId}:${blank}`;
    const story = hat.state.stories[participantId]!;
    const prepared = hat.hats.get(participantId);
    const request: DrawRequest = {
      prefixIds: storyPrefixIds(hat.state.meta, story, blank),
      ...(prepared?.blank === blank ? { source: prepared.source } : {}),
      seed,
      dial,
      maxTokens: hat.state.meta.template.maxTokens,
      blank,
      now: clock().getTime(),
    };
    const promise = (async () => {
      try {
        const fill = await hat.drawBatcher.enqueue(request);
        // Committed before anyone hears of it; a second draw of this blank gets the first one back.
        const result = await store.recordDraw({ gameId: hat.state.meta.id, participantId, fill });
        hat.hats.delete(participantId);
        await dispatch(hat, { type: "drawCommitted", participantId, fill: result.fill });
        return result;
      } catch (error) {
        const code = inferenceCode(error);
        if (code === "inference_failed") logger.error({ err: error, participantId, blank }, "hat draw failed");
        await dispatch(hat, { type: "drawFailed", participantId, blank });
        throw new CodedError(code);
      } finally {
        hat.inflight.delete(key);
      }
    })();
    // The handler that asked awaits it; a failure nobody waits for is already logged.
    promise.catch(() => undefined);
    hat.inflight.set(key, promise);
  }

  // ---------- snapshots ----------

  async function nicknames(code: string): Promise<(id: string) => string | null> {
    const room = await rooms.room(code);
    const names = new Map(room?.participants.filter((p) => !p.kicked).map((p) => [p.id, p.nickname]) ?? []);
    return (id) => names.get(id) ?? null;
  }

  function playerView(hat: LiveHat | null, participantId: string | null, nickname: string): PlayerHatSnapshot {
    if (!hat) return playerHatSnapshot(null, null, "", null, []);
    const prepared = participantId ? (hat.hats.get(participantId) ?? null) : null;
    return playerHatSnapshot(hat.state, participantId, nickname, prepared, texts(hat));
  }

  async function staffView(hat: LiveHat | null, viewer: "host" | "projector", code: string): Promise<StaffHatSnapshot> {
    return staffHatSnapshot(hat?.state ?? null, viewer, await nicknames(code), hat?.entropy ?? null);
  }

  async function sendStaffNow(hat: LiveHat): Promise<void> {
    broadcaster.toStaff(hat.code, "host", await staffView(hat, "host", hat.code));
    broadcaster.toStaff(hat.code, "projector", await staffView(hat, "projector", hat.code));
  }

  /** Leading and trailing throttle, so 500 draws in a second do not send 500 galleries. */
  function sendStaff(hat: LiveHat): void {
    const pending = staffTimers.get(hat.code);
    if (pending) {
      pending.dirty = true;
      return;
    }
    const ms = deps.staffThrottleMs ?? 250;
    void sendStaffNow(hat).catch((error: unknown) => logger.error({ err: error }, "hat staff snapshot failed"));
    const entry = {
      dirty: false,
      timer: setTimeout(function flush() {
        if (!entry.dirty) return void staffTimers.delete(hat.code);
        entry.dirty = false;
        void sendStaffNow(live.get(hat.code) ?? hat).catch((error: unknown) => logger.error({ err: error }, "hat staff snapshot failed"));
        entry.timer = setTimeout(flush, ms);
      }, ms),
    };
    staffTimers.set(hat.code, entry);
  }

  async function send(hat: LiveHat, audience: HatAudience): Promise<void> {
    const room = await rooms.room(hat.code);
    if (!room) return;
    const name = (id: string) => room.participants.find((p) => p.id === id)?.nickname ?? "";
    switch (audience.to) {
      case "participant":
        broadcaster.toParticipant(hat.code, audience.participantId, playerView(hat, audience.participantId, name(audience.participantId)));
        return;
      case "staff":
        sendStaff(hat);
        return;
      case "everyone":
        await sendStaffNow(hat);
        broadcaster.toGuests(hat.code, playerView(hat, null, ""));
        for (const p of room.participants) {
          if (!p.kicked && p.connected) broadcaster.toParticipant(hat.code, p.id, playerView(hat, p.id, p.nickname));
        }
        return;
    }
  }

  // ---------- commands from the sockets ----------

  async function entropyCompare(template: HatTemplate, model: HatDrawService, firstIds: number[]): Promise<EntropyCompareView | null> {
    const built = template.id ? builtInTemplate(template.id) : undefined;
    const other = built?.pair ? builtInTemplate(built.pair.other) : undefined;
    if (!built?.pair || !other) return null;
    const [otherIds] = await model.segmentIds([other.segments[0]!]);
    const [mine, theirs] = await model.firstEntropies([firstIds, otherIds!]);
    const side = (t: HatTemplate, e: { bits: number; top: { text: string; p: number }[] }): EntropySide => ({
      templateId: t.id!,
      title: t.title,
      prefix: t.segments[0]!,
      bits: e.bits,
      top: e.top,
    });
    const a = side(built, mine!);
    const b = side(other, theirs!);
    return built.pair.role === "known" ? { known: a, madeUp: b } : { known: b, madeUp: a };
  }

  async function hostStep(code: string, command: HatCommand): Promise<HatResult<StaffHatSnapshot>> {
    const hat = await current(code);
    if (!hat) return { ok: false, code: "no_game" };
    const result = await dispatch(hat, command);
    if (!result.ok) return result;
    return { ok: true, data: await staffView(hat, "host", code) };
  }

  return {
    async snapshot(code, viewer, participantId) {
      const hat = await current(code);
      if (viewer !== "player") return staffView(hat, viewer, code);
      if (hat && participantId && hat.state.status === "running") {
        if (!hat.state.stories[participantId]) await dispatch(hat, { type: "addStory", participantId });
        // A hat lost to a model hiccup is asked for again when the phone looks.
        else prepareHats(hat, waitingStories(hat).filter((id) => id === participantId));
      }
      const room = await rooms.room(code);
      const nickname = room?.participants.find((p) => p.id === participantId)?.nickname ?? "";
      return playerView(hat, participantId, nickname);
    },

    async start(code, input) {
      const room = await rooms.room(code);
      if (!room) return { ok: false, code: "room_not_found" };
      if (room.phase === "ended") return { ok: false, code: "room_ended" };
      if (room.phase === "voting" || room.phase === "preparing") return { ok: false, code: "round_open" };
      if (!inference) return { ok: false, code: "model_unavailable" };
      const running = await current(code);
      if (running?.state.status === "running") return { ok: false, code: "game_running" };
      let template: HatTemplate;
      if (input.templateId !== undefined) {
        const built = builtInTemplate(input.templateId);
        if (!built) return { ok: false, code: "template_not_found" };
        template = { id: built.id, title: built.title, text: built.text, segments: built.segments, maxTokens: input.maxTokens ?? built.maxTokens };
      } else {
        const parsed = parseTemplate(input.text ?? "", { ...(input.title ? { title: input.title } : {}), ...(input.maxTokens ? { maxTokens: input.maxTokens } : {}) });
        if (!parsed.ok) return parsed;
        template = parsed.template;
      }
      const model = new HatDrawService(inference, { model: room.model.id });
      let segmentIds: number[][];
      let entropy: EntropyCompareView | null;
      try {
        segmentIds = await model.segmentIds(template.segments);
        await model.vocab(segmentIds[0]!);
        entropy = await entropyCompare(template, model, segmentIds[0]!);
      } catch (error) {
        return { ok: false, code: inferenceCode(error) };
      }
      const meta = { id: deps.newId(), roomId: room.id, template, model: room.model, segmentIds, startedAt: clock().getTime() };
      const participants = room.participants.filter((p) => !p.kicked).map((p) => p.id);
      const created = newHatGame(meta, participants, input.dial ?? DEFAULT_DIAL);
      const state = { ...created.state, seq: seqBase() };
      await store.createGame(gameRow(state, entropy));
      const hat = makeLive(code, state, entropy, model);
      await runEffects(hat, created.effects);
      logger.info({ code, game: meta.id, template: template.id ?? "custom" }, "hat game started");
      return { ok: true, data: await staffView(hat, "host", code) };
    },

    setDial: (code, dial) => hostStep(code, { type: "setDial", dial }),
    openNextBlank: (code) => hostStep(code, { type: "openNextBlank" }),
    finish: (code) => hostStep(code, { type: "finish" }),

    async draw(code, participantId, gameId, blank) {
      const room = await rooms.room(code);
      if (!room) return { ok: false, code: "room_not_found" };
      const hat = await current(code);
      if (!hat || hat.state.meta.id !== gameId) return { ok: false, code: "no_game" };
      const recordedFirst = hat.state.stories[participantId]?.fills[blank];
      if (!recordedFirst) {
        if (room.phase === "ended") return { ok: false, code: "room_ended" };
        if (room.paused) return { ok: false, code: "paused" };
      }
      const applied = await dispatch(hat, { type: "requestDraw", participantId, blank });
      if (!applied.ok) return applied;
      const nickname = room.participants.find((p) => p.id === participantId)?.nickname ?? "";
      const recorded = hat.state.stories[participantId]?.fills[blank];
      if (recorded) return { ok: true, data: { fill: fillView(recorded), recorded: true, snapshot: playerView(hat, participantId, nickname) } };
      const inflight = hat.inflight.get(`${participantId}:${blank}`);
      if (!inflight) return { ok: false, code: "internal" };
      try {
        const result = await inflight;
        return { ok: true, data: { fill: fillView(result.fill), recorded: result.recorded, snapshot: playerView(hat, participantId, nickname) } };
      } catch (error) {
        return { ok: false, code: inferenceCode(error) };
      }
    },

    async joined(code, participantId) {
      const hat = await current(code);
      if (!hat || hat.state.status !== "running") return;
      await dispatch(hat, { type: "addStory", participantId });
    },

    running: async (code) => (await current(code))?.state.status === "running",

    games: (roomId) => store.roomGames(roomId),

    async close() {
      for (const entry of staffTimers.values()) clearTimeout(entry.timer);
      staffTimers.clear();
      await Promise.allSettled([...live.values()].flatMap((hat) => [...hat.inflight.values()]));
    },
  };
}
