// The shell around the room rules: keeps live rooms in memory (loading them from the database on
// demand, e.g. after a restart), applies commands, and carries out the effects the rules return:
// database writes first, then snapshots, timers, kicks and model calls.
import type { Account } from "../db/account-store.ts";
import type { RoomStore } from "../db/room-store.ts";
import { InferenceError, type Distribution, type InferencePort, type ModelInfo } from "../../contract/inference/port.ts";
import type { Logger } from "../logger.ts";
import type { CreatedRoom, GuessPieces, RoomErrorCode } from "../protocol/room-protocol.ts";
import { createGuessMapper, type GuessMapper } from "./guess-mapper.ts";
import { joinUrlFor, qrSvg } from "./join-link.ts";
import type { RoomBroadcaster } from "./room-broadcaster.ts";
import type { InferRequest, PreparedDistribution, RoomCommand, RoomEffect } from "./room-commands.ts";
import { generateRoomCode } from "./room-code.ts";
import { roomRowOf, stateFromStored } from "./room-records.ts";
import { apply } from "./room-rules.ts";
import { newRoomState, type ModelRequest, type ParticipantState, type RoomState, type RoundState } from "./room-state.ts";
import { liveOrLoad } from "./live-or-load.ts";
import { createRoomWriter, type RoomWriter } from "./room-writer.ts";
import { createRoundProbabilities, type RoundProbabilities } from "./round-probabilities.ts";

export interface LiveRoom {
  state: RoomState;
  /** Participant token hash → id. Append-only: a participant's token never changes. */
  tokenIndex: Map<string, string>;
  writer: RoomWriter;
  timers: Map<string, NodeJS.Timeout>;
  probabilities: RoundProbabilities | null;
  guesses: GuessMapper | null;
}

export type ServiceResult<T> = { ok: true; data: T } | { ok: false; code: RoomErrorCode };

export interface RoomServiceDeps {
  store: RoomStore;
  inference: InferencePort | null;
  broadcaster: RoomBroadcaster;
  logger: Logger;
  clock: () => Date;
  /** Uniform in [0, 1): room codes and sampling seeds. */
  rng: () => number;
  newId: () => string;
}

export interface VoteInput {
  pieces: GuessPieces;
  token: { id: number; text: string; p: number; rank: number };
  roundId: string;
}

export interface RoomService {
  createRoom(input: { owner: Account; title: string; model?: string; prompts: string[]; joinBase: string; pagesBase: string }): Promise<ServiceResult<CreatedRoom>>;
  /** The live room for a code, loaded from the database when it is not in memory; null when unknown. */
  room(code: string): Promise<LiveRoom | null>;
  dispatch(live: LiveRoom, command: RoomCommand): Promise<ServiceResult<RoomState>>;
  /** Maps a guess to tokens and looks up the first token's p and rank in the open round. */
  scoreGuess(live: LiveRoom, round: RoundState, guess: string, exact: boolean): Promise<ServiceResult<VoteInput>>;
  /** The participant a phone's token belongs to, or null. */
  participantByTokenHash(live: LiveRoom, tokenHash: string): ParticipantState | null;
  models(): ModelInfo[];
  defaultModel(): string | null;
  /** Waits for pending writes and clears timers (shutdown and tests). */
  close(): Promise<void>;
}

/** The port's error codes, in the words of the room protocol. */
export function inferenceErrorCode(error: unknown): RoomErrorCode {
  if (!(error instanceof InferenceError)) return "inference_failed";
  switch (error.code) {
    case "model_not_found":
    case "model_invalid":
      return "model_not_found";
    case "prompt_too_long":
      return "prompt_too_long";
    case "empty_prompt":
      return "no_text";
    case "not_ready":
    case "worker_crashed":
    case "timeout":
      return "model_unavailable";
    default:
      return "inference_failed";
  }
}

const prefixOf = (request: ModelRequest) => (request.prefixIds.length > 0 ? { ids: request.prefixIds } : (request.promptText ?? ""));

function prepared(d: Distribution): PreparedDistribution {
  return {
    prefix: d.prefix.map((t) => ({ id: t.id, text: t.text, special: t.special })),
    distribution: { model: d.model, top: d.top, bottom: d.bottom, entropyBits: d.entropyBits, restMass: d.restMass, vocabSize: d.vocabSize },
  };
}

export function createRoomService(deps: RoomServiceDeps): RoomService {
  const { store, inference, broadcaster, logger, clock, rng, newId } = deps;
  const live = new Map<string, LiveRoom>();
  const loading = new Map<string, Promise<LiveRoom | null>>();
  // µs since the epoch: snapshot seq numbers keep growing across restarts.
  const seqBase = () => clock().getTime() * 1000;

  function makeLive(state: RoomState): LiveRoom {
    const room: LiveRoom = {
      state,
      tokenIndex: new Map(),
      writer: createRoomWriter(store, () => room.state),
      timers: new Map(),
      probabilities: inference ? createRoundProbabilities(inference) : null,
      guesses: inference ? createGuessMapper(inference) : null,
    };
    live.set(state.meta.code, room);
    return room;
  }

  async function dispatch(room: LiveRoom, command: RoomCommand): Promise<ServiceResult<RoomState>> {
    const result = apply(room.state, command, { now: clock().getTime(), rng });
    if (!result.ok) return result;
    room.state = result.state;
    const followUp = await runEffects(room, result.effects);
    return followUp ? { ok: false, code: followUp } : { ok: true, data: room.state };
  }

  /** Runs effects in order of importance; returns the error of a failed model call, if any. */
  async function runEffects(room: LiveRoom, effects: RoomEffect[]): Promise<RoomErrorCode | null> {
    // Nothing is announced before it is committed.
    await Promise.all(effects.flatMap((e) => (e.type === "persist" ? [room.writer.write(e.op)] : [])));
    let failure: RoomErrorCode | null = null;
    for (const effect of effects) {
      switch (effect.type) {
        case "persist":
          break;
        case "snapshot":
          broadcaster.snapshot(room.state, effect.audience);
          break;
        case "counts":
          broadcaster.counts(room.state);
          break;
        case "setTimer": {
          clearTimeout(room.timers.get(effect.roundId));
          const timer = setTimeout(() => {
            room.timers.delete(effect.roundId);
            dispatch(room, { type: "timerFired", roundId: effect.roundId }).catch((error: unknown) => logger.error({ err: error }, "round timer failed"));
          }, effect.delayMs);
          timer.unref();
          room.timers.set(effect.roundId, timer);
          break;
        }
        case "clearTimer":
          clearTimeout(room.timers.get(effect.roundId));
          room.timers.delete(effect.roundId);
          break;
        case "disconnect":
          broadcaster.kick(room.state.meta.code, effect.participantId);
          break;
        case "infer":
          failure = (await infer(room, effect.roundId, effect.infer)) ?? failure;
          break;
      }
    }
    return failure;
  }

  async function infer(room: LiveRoom, roundId: string, request: InferRequest | InferRequest[]): Promise<RoomErrorCode | null> {
    const sample = !Array.isArray(request) && request.kind === "sample";
    const failed = (code: RoomErrorCode): RoomCommand => (sample ? { type: "sampleFailed", roundId, code } : { type: "roundFailed", roundId, code });
    if (!inference) {
      await dispatch(room, failed("model_unavailable"));
      return "model_unavailable";
    }
    try {
      if (!Array.isArray(request) && request.kind === "sample") {
        const s = await inference.sample(prefixOf(request.request), { model: request.request.model, temperature: request.temperature, seed: request.seed, chat: request.request.chat });
        // The chain rule uses the model's own probability (temperature 1), not the reshaped hat's.
        const odds = await room.probabilities!.odds(roundId, request.request, s.token.id);
        await dispatch(room, { type: "tokenSampled", roundId, token: { id: s.token.id, text: s.token.text, p: odds.p }, seed: request.seed, temperature: request.temperature });
        return null;
      }
      const requests = Array.isArray(request) ? request : [request];
      const results = await Promise.all(
        requests.map((r) =>
          inference.distribution(prefixOf(r.request), { model: r.request.model, chat: r.request.chat, topK: r.request.topK, bottomK: r.request.bottomK, temperature: r.request.temperature, includeProbs: requests.length === 1 }),
        ),
      );
      if (requests.length === 1 && results[0]?.probs) room.probabilities!.remember(roundId, results[0].probs);
      await dispatch(room, { type: "roundPrepared", roundId, results: results.map(prepared) });
      return null;
    } catch (error) {
      const code = inferenceErrorCode(error);
      if (code === "inference_failed") logger.error({ err: error, roundId }, "model call failed");
      await dispatch(room, failed(code));
      return code;
    }
  }

  async function load(code: string): Promise<LiveRoom | null> {
    const stored = await store.loadRoom(code);
    if (!stored) return null;
    const existing = live.get(code);
    if (existing) return existing;
    const room = makeLive(stateFromStored(stored, await qrSvg(stored.room.joinUrl), seqBase()));
    await dispatch(room, { type: "resume" });
    logger.info({ code, phase: room.state.phase }, "room resumed from the database");
    return room;
  }

  function pickModel(requested: string | undefined): ServiceResult<ModelInfo> {
    const status = inference?.status();
    if (!status || status.models.length === 0) return { ok: false, code: "model_unavailable" };
    const id = requested ?? status.defaultModel ?? status.models[0]!.id;
    const model = status.models.find((m) => m.id === id);
    return model ? { ok: true, data: model } : { ok: false, code: "model_not_found" };
  }

  return {
    async createRoom({ owner, title, model: requested, prompts, joinBase, pagesBase }) {
      const model = pickModel(requested);
      if (!model.ok) return model;
      for (let attempt = 0; attempt < 20; attempt++) {
        const code = generateRoomCode(rng);
        const joinUrl = joinUrlFor(joinBase, code);
        const meta = {
          id: newId(),
          code,
          title,
          ownerId: owner.id,
          model: { id: model.data.id, name: model.data.name, sha256: model.data.sha256 },
          joinUrl,
          qrSvg: await qrSvg(joinUrl),
          prompts,
          createdAt: clock().getTime(),
        };
        const state = { ...newRoomState(meta), seq: seqBase() };
        const created = await store.createRoom(roomRowOf(state));
        if (!created.ok) continue;
        makeLive(state);
        return {
          ok: true,
          data: {
            id: meta.id,
            code,
            title,
            model: { id: meta.model.id, name: meta.model.name },
            joinUrl,
            qrSvg: meta.qrSvg,
            hostUrl: `${pagesBase}/host/${code}`,
            projectorUrl: `${pagesBase}/projector/${code}`,
          },
        };
      }
      throw new Error("no free room code after 20 attempts");
    },

    room: (code) => liveOrLoad(live, loading, code, load),

    dispatch,

    async scoreGuess(room, round, guess, exact) {
      if (!room.guesses || !room.probabilities) return { ok: false, code: "model_unavailable" };
      try {
        room.guesses.keepOnly(round.id);
        const pieces = await room.guesses.map(round, guess, exact);
        const first = pieces.tokens[0];
        if (!first) return { ok: false, code: "guess_empty" };
        const odds = await room.probabilities.odds(round.id, round.request, first.id);
        return { ok: true, data: { pieces, roundId: round.id, token: { id: first.id, text: first.text, ...odds } } };
      } catch (error) {
        const code = inferenceErrorCode(error);
        if (code === "inference_failed") logger.error({ err: error }, "guess tokenization failed");
        return { ok: false, code };
      }
    },

    participantByTokenHash(room, tokenHash) {
      let id = room.tokenIndex.get(tokenHash);
      if (id === undefined) {
        // Rebuilt only on a miss, so a reconnect storm after a restart costs one pass, not one per phone.
        for (const p of room.state.participants.values()) room.tokenIndex.set(p.tokenHash, p.id);
        id = room.tokenIndex.get(tokenHash);
      }
      return id === undefined ? null : (room.state.participants.get(id) ?? null);
    },

    models: () => inference?.status().models ?? [],
    defaultModel: () => inference?.status().defaultModel ?? null,

    async close() {
      for (const room of live.values()) {
        for (const timer of room.timers.values()) clearTimeout(timer);
        room.timers.clear();
        broadcaster.forget(room.state.meta.code);
      }
      await Promise.all([...live.values()].map((room) => room.writer.idle()));
    },
  };
}
