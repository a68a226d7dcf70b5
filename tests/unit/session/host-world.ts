// A live session as pure data, for table tests of the rules: apply host commands in order with a
// clock that ticks and a seeded rng, and look at the state and the effects of the last command.
import type { ActivityStart } from "../../../contract/protocol/activities.ts";
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { ModelInfo } from "../../../contract/inference/port.ts";
import type { DistributionView, TokenView } from "../../../contract/protocol/guess.ts";
import { ACTIVITY_MODULES } from "../../../server/activities/registry.ts";
import type { GuessCommand, GuessState } from "../../../server/activities/guess/guess-state.ts";
import type { HatCommand, HatState } from "../../../server/activities/hat/hat-state.ts";
import type { ActivityLive } from "../../../server/session/activity.ts";
import { applyHost, type HostCommand, type HostContext, type HostState, type OwnedEffect, type RulesMap } from "../../../server/session/host-machine.ts";
import type { SessionCommand } from "../../../server/session/session-rules.ts";
import type { SnapshotSources } from "../../../server/session/session-snapshot.ts";
import { newSessionState, type SessionMeta } from "../../../server/session/session-state.ts";
import type { PlanBody } from "../../../contract/protocol/lesson-plan.ts";
import { seededRng } from "../../support/seeded-rng.ts";

export const rules = Object.fromEntries(Object.entries(ACTIVITY_MODULES).map(([k, m]) => [k, m.rules])) as unknown as RulesMap;

export const models: ModelInfo[] = [
  { id: "m", name: "Model", kind: "base", vocabSize: 100, contextLength: 256, sha256: "abc", hasChatTemplate: false },
  { id: "m2", name: "Chat model", kind: "instruct", vocabSize: 100, contextLength: 256, sha256: "def", hasChatTemplate: true },
];

export const meta = (plan: (PlanBody & { id: string }) | null = null): SessionMeta => ({
  id: "session-1",
  code: "7KQ4MX",
  title: "Workshop",
  ownerId: "u1",
  model: { id: "m", name: "Model", sha256: "abc" },
  joinUrl: "http://x/join/7KQ4MX",
  qrSvg: "<svg/>",
  prompts: ["Once upon a time", "The capital of France is"],
  plan,
  capacity: 1000,
  createdAt: 0,
});

export interface World {
  state: HostState;
  effects: OwnedEffect[];
  ctx: HostContext;
}

export function world(options: { plan?: PlanBody & { id: string }; capacity?: number; seed?: number } = {}): World {
  let now = 1_000;
  const rng = seededRng(options.seed ?? 1);
  const session = newSessionState({ ...meta(options.plan ?? null), capacity: options.capacity ?? 1000 }, 0);
  const activities = Object.fromEntries(Object.entries(rules).map(([k, r]) => [k, r.initial()])) as HostState["activities"];
  return {
    state: { session, activities },
    effects: [],
    ctx: {
      get now() {
        return (now += 10);
      },
      rng,
      models,
    },
  };
}

/** Applies commands in order; a rejected one throws with its code, so setup mistakes are loud. */
export function run(w: World, ...commands: HostCommand[]): World {
  for (const c of commands) {
    const r = applyHost(w.state, c, w.ctx, rules);
    if (!r.ok) throw new Error(`${JSON.stringify(c).slice(0, 120)} rejected: ${r.code}`);
    w.state = r.state;
    w.effects = r.effects;
  }
  return w;
}

export function rejects(w: World, command: HostCommand): ErrorCode {
  const r = applyHost(w.state, command, w.ctx, rules);
  if (r.ok) throw new Error(`${JSON.stringify(command).slice(0, 120)} was accepted`);
  return r.code;
}

export const s = (command: SessionCommand): HostCommand => ({ to: "session", command });
export const g = (command: GuessCommand): HostCommand => ({ to: "activity", kind: "guess", command });
export const h = (command: HatCommand): HostCommand => ({ to: "activity", kind: "hat", command });
export const start = (id: string, start: ActivityStart): HostCommand => ({ to: "start", start, id });
export const join = (id: string, nickname = id) => s({ type: "join", participantId: id, tokenHash: `h-${id}`, nickname });

export const guessOf = (w: World) => w.state.activities.guess as GuessState;
export const hatOf = (w: World) => w.state.activities.hat as HatState;
export const effectsOf = (w: World) => w.effects.map((e) => e.effect);

export const tok = (id: number, text: string, special = false): TokenView => ({ id, text, special });
export const dist: DistributionView = {
  model: "m",
  top: [
    { id: 10, text: " there", p: 0.5 },
    { id: 11, text: " was", p: 0.25 },
    { id: 12, text: " lived", p: 0.125 },
  ],
  bottom: [],
  entropyBits: 1.9,
  restMass: 0.125,
  vocabSize: 100,
};
export const prefix = [tok(1, "<s>", true), tok(2, "Once"), tok(3, " upon")];

export const vote = (participantId: string, tokenId: number, p: number, roundId = "r1", rank = 1): HostCommand =>
  g({
    type: "vote",
    participantId,
    roundId,
    pieces: { guess: "x", mapped: " x", leadingSpaceAdded: true, tokens: [tok(tokenId, ` t${tokenId}`)], explanation: "" },
    token: { id: tokenId, text: ` t${tokenId}`, p, rank },
  });
export const prepared = (roundId = "r1"): HostCommand => g({ type: "roundPrepared", roundId, results: [{ prefix, distribution: dist }] });

/** A session with three players and guess round r1 open for votes. */
export function voting(): World {
  return run(world(), join("a"), join("b"), join("c"), start("r1", { kind: "guess", input: { mode: "round", promptIndex: 0 } }), prepared());
}

/** Snapshot sources over a world: the activities' live sides without a model. */
export function sources(w: World): SnapshotSources {
  const deps = { store: null as never, inference: null, logger: { info() {}, warn() {}, error() {}, debug() {} } as never, clock: () => new Date(0), announce: () => undefined, fenced: <T,>(fn: () => Promise<T>) => fn() };
  const lives = Object.fromEntries(Object.entries(ACTIVITY_MODULES).map(([k, m]) => [k, (m as unknown as { live: (d: typeof deps) => ActivityLive }).live(deps)])) as SnapshotSources["lives"];
  return {
    get state() {
      return w.state;
    },
    rules,
    lives,
    models,
  };
}
