// What can happen to a room (commands, from sockets, timers and the model) and what the rules ask
// the shell to do about it (effects). Both are unions tagged by `type`.
import type { CompareMode, DistributionView, GuessPieces, PickHow, RoomErrorCode, TokenProbView, TokenView } from "../protocol/room-protocol.ts";
import type { ModelRequest, ParticipantState, RoundState, VoteState } from "./room-state.ts";

/** What the model answered for one request, trimmed to what a round keeps. */
export interface PreparedDistribution {
  prefix: TokenView[];
  distribution: DistributionView;
}

export type RoomCommand =
  | { type: "join"; participantId: string; tokenHash: string; nickname: string }
  | { type: "connect"; participantId: string }
  | { type: "disconnect"; participantId: string }
  | {
      type: "vote";
      participantId: string;
      roundId: string;
      pieces: GuessPieces;
      /** The first token of the mapped guess, with its model probability and rank. */
      token: { id: number; text: string; p: number; rank: number };
    }
  | { type: "startRound"; roundId: string; prompt?: string; promptIndex?: number; timerSeconds?: number }
  | {
      type: "startCompare";
      roundId: string;
      mode: CompareMode;
      prompt: string;
      promptB?: string;
      /** For mode "models": the second model, resolved from the registry by the shell. */
      modelB?: { id: string; sha256: string };
    }
  | { type: "roundPrepared"; roundId: string; results: PreparedDistribution[] }
  | { type: "roundFailed"; roundId: string; code: RoomErrorCode }
  | { type: "closeRound" }
  | { type: "timerFired"; roundId: string }
  | { type: "pickToken"; how: PickHow; temperature?: number }
  | { type: "tokenSampled"; roundId: string; token: TokenProbView; seed: number; temperature: number }
  | { type: "sampleFailed"; roundId: string; code: RoomErrorCode }
  | { type: "skip" }
  | { type: "setPaused"; paused: boolean }
  | { type: "setLocked"; locked: boolean }
  | { type: "rename"; participantId: string; nickname: string }
  | { type: "kick"; participantId: string }
  | { type: "endSession" }
  /** After loading from the database: re-arm timers, fail rounds whose model call was lost. */
  | { type: "resume" };

export type RoomCommandType = RoomCommand["type"];

export type InferRequest =
  | { kind: "distribution"; request: ModelRequest }
  | { kind: "sample"; request: ModelRequest; temperature: number; seed: number };

export type PersistOp =
  | { kind: "room" }
  | { kind: "participant"; participant: ParticipantState }
  | { kind: "round"; round: RoundState }
  | { kind: "vote"; roundId: string; vote: VoteState };

export type Audience = { to: "everyone" } | { to: "staff" } | { to: "participant"; participantId: string };

export type RoomEffect =
  /** Write this change before acknowledging; `room` writes the room row (flags, phase, threads). */
  | { type: "persist"; op: PersistOp }
  /** Send fresh role-filtered snapshots. */
  | { type: "snapshot"; audience: Audience }
  /** Send live counts (throttled by the shell). */
  | { type: "counts" }
  | { type: "setTimer"; roundId: string; delayMs: number }
  | { type: "clearTimer"; roundId: string }
  /** Ask the model; the shell answers with roundPrepared/roundFailed or tokenSampled/sampleFailed. */
  | { type: "infer"; roundId: string; infer: InferRequest | InferRequest[] }
  | { type: "disconnect"; participantId: string; code: "kicked" };

export interface RuleContext {
  now: number;
  /** Uniform in [0, 1); seeds for sampling come from here. */
  rng: () => number;
}

export type ApplyResult<S> = { ok: true; state: S; effects: RoomEffect[] } | { ok: false; code: RoomErrorCode };
