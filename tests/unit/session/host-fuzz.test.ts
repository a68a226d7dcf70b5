// Seeded fuzz of the session rules and every activity's: thousands of random command sequences,
// with invariants checked after every step, and the state rebuilt from stored rows compared with
// the live one.
import { describe, expect, it } from "vitest";
import { currentRound, type GuessState } from "../../../server/activities/guess/guess-state.ts";
import type { FillState, HatState } from "../../../server/activities/hat/hat-state.ts";
import type { ActivityStore } from "../../../server/session/activity.ts";
import { applyHost, currentActivity, type HostCommand, type HostState } from "../../../server/session/host-machine.ts";
import { participantRowOf, sessionRowOf, sessionStateFromStored } from "../../../server/session/session-records.ts";
import { memorySessionStore } from "../../../server/session/session-store.ts";
import type { CalibrationCommand, CalibrationGameState, CalibrationState } from "../../../server/activities/calibration/calibration-state.ts";
import { memoryStores } from "../../support/memory-stores.ts";
import { seededRng } from "../../support/seeded-rng.ts";
import { dist, g, h, join, prefix, rules, s, start, world, type World } from "./host-world.ts";

function stores() {
  const sessions = memorySessionStore();
  const activities = memoryStores().activities;
  return { sessions, activities };
}
type Stores = ReturnType<typeof stores>;

/** Writes a command's persist effects the way the host does: rows from the state after the command. */
async function persist(st: Stores, state: HostState, effects: { owner: string; effect: { type: string; op?: unknown } }[]) {
  for (const { owner, effect } of effects) {
    if (effect.type !== "persist") continue;
    const op = effect.op as { kind: string; participant?: never };
    if (owner === "session") {
      if (op.kind === "session") await st.sessions.updateSession(sessionRowOf(state.session));
      else await st.sessions.upsertParticipants([participantRowOf(state.session.meta.id, op.participant!)]);
    } else {
      const store = st.activities[owner as keyof Stores["activities"]] as ActivityStore;
      await store.write(state.session.meta.id, [op], state.activities[owner as keyof HostState["activities"]]);
    }
  }
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const fillFor = (blank: number, seed: number, rng: () => number): FillState => {
  const id = 10 + Math.floor(rng() * 5);
  return { blank, text: ` w${id}`, tokens: [{ id, text: ` w${id}`, p: 0.1 + rng() * 0.5, count: 1000, slip: 3 }], seed, dial: { temperature: 1, topP: 1, topK: null }, stop: "word_end", hat: { top: [{ id, text: ` w${id}`, count: 1000 }], otherCount: 9000, cutMass: 0, modelEntropyBits: 2 }, drawnAt: 5 };
};

/** A random next command, mostly plausible ones so sequences get deep into each activity. */
function nextCommand(w: World, rng: () => number, n: number): HostCommand {
  const people = [...w.state.session.participantOrder];
  const someone = () => (people.length && rng() < 0.95 ? pick(rng, people) : `ghost${Math.floor(rng() * 3)}`);
  const guess = w.state.activities.guess as GuessState;
  const round = currentRound(guess);
  const game = (w.state.activities.hat as HatState).game;
  const quiz = (w.state.activities.calibration as CalibrationState).game;
  const options: (() => HostCommand)[] = [
    () => join(`p${n}`, pick(rng, ["Ada", "ada", "Bo", "\u2800", "Cy 2", "Dee"])),
    () => s({ type: pick(rng, ["connect", "disconnect"] as const), participantId: someone() }),
    () => s({ type: "kick", participantIds: [someone()] }),
    () => s({ type: "setPaused", paused: rng() < 0.5 }),
    () => s({ type: "setLocked", locked: rng() < 0.3 }),
    () => start(`r${n}`, { kind: "guess", input: { mode: "round", prompt: pick(rng, ["Once upon a", "The capital of France is"]) } }),
    () => start(`r${n}`, { kind: "guess", input: { mode: "continue", ...(rng() < 0.5 ? { timerSeconds: 30 } : {}) } }),
    () => start(`c${n}`, { kind: "guess", input: { mode: "compare", spec: { compare: "prompts", prompt: "Albert Einstein was a", promptB: "Blake Bourne was a" } } }),
    () => start(`g${n}`, { kind: "hat", input: { templateId: "capitals" } }),
    () => start(`s${n}`, { kind: "slide", input: { title: "Slide", body: "" } }),
    () => start(`e${n}`, { kind: "explore", input: { minutes: 5, prompt: "" } }),
    () => start(`q${n}`, { kind: "calibration", input: { setId: "quick-five", threshold: null } }),
    () => q({ type: "modelAnswered", gameId: quiz?.id ?? "none", answers: quiz ? quiz.questions.map((_, i) => ({ answer: "Oslo", tokenId: 40, tokenText: " O", p: 0.5 + i / 20, entropyBits: i, correct: i === 0, top: [] })) : [] }),
    () => q({ type: "modelFailed", gameId: quiz?.id ?? "none", code: "inference_failed" }),
    () => q({ type: "answer", participantId: someone(), gameId: quiz?.id ?? "none", question: rng() < 0.8 ? (quiz?.index ?? 0) : 4, answer: pick(rng, ["Oslo", "Yes", "", "Bergen"]), confidence: pick(rng, [50, 90, 100, null]) }),
    () => q({ type: "next" }),
    () => q({ type: "reveal" }),
    () => q({ type: "setThreshold", bits: pick(rng, [null, 1, 2.5]) }),
    () => ({ to: "finish" }),
    () => g({ type: "roundPrepared", roundId: round?.id ?? "none", results: round?.kind === "compare" ? [{ prefix, distribution: dist }, { prefix, distribution: { ...dist, entropyBits: 4 } }] : [{ prefix, distribution: dist }] }),
    () => g({ type: "roundFailed", roundId: round?.id ?? "none", code: "inference_failed" }),
    () => g({ type: "vote", participantId: someone(), roundId: rng() < 0.9 ? (round?.id ?? "none") : "old", pieces: { guess: "x", mapped: " x", leadingSpaceAdded: true, tokens: [{ id: 10, text: " x", special: false }], explanation: "" }, token: { id: 10 + Math.floor(rng() * 3), text: " x", p: 0.25, rank: 2 } }),
    () => g({ type: "predict", participantId: someone(), roundId: round?.id ?? "none", side: rng() < 0.5 ? "a" : "b" }),
    () => g({ type: "close" }),
    () => g({ type: "timerFired", roundId: round?.id ?? "none" }),
    () => g({ type: "pick", how: pick(rng, ["favourite", "model_top", "sample"] as const), temperature: 1 }),
    () => g({ type: "tokenSampled", roundId: round?.id ?? "none", token: { id: 12, text: " lived", p: 0.125 }, seed: 7, temperature: 1 }),
    () => h({ type: "gameReady", gameId: game?.meta.id ?? "none", segmentIds: [[1, 5], [6], [7], [8], [9]], entropy: null }),
    () => h({ type: "setDial", dial: { temperature: pick(rng, [0.5, 1, 1.5]), topP: 1, topK: null } }),
    () => h({ type: "openNextBlank" }),
    () => h({ type: "requestDraw", participantId: someone(), gameId: game?.meta.id ?? "none", blank: Math.floor(rng() * 3) }),
    () => {
      const pending = game ? Object.values(game.stories).find((st) => st.pending) : undefined;
      return pending ? h({ type: "drawCommitted", participantId: pending.participantId, fill: fillFor(pending.pending!.blank, pending.pending!.seed, rng) }) : h({ type: "drawFailed", participantId: someone(), blank: 0 });
    },
    () => (rng() < 0.2 ? s({ type: "end" }) : { to: "resume" }),
  ];
  return pick(rng, options)();
}

const q = (command: CalibrationCommand): HostCommand => ({ to: "activity", kind: "calibration", command });

/** A calibration game as stored: a game still waiting for the model is stored too (it is asked again on resume). */
function calibrationView(game: CalibrationGameState | null) {
  if (!game) return null;
  const { answers, ...rest } = game;
  return { ...rest, answers: [...answers].flatMap(([pid, byQ]) => [...byQ].map(([i, a]) => [pid, i, a])).sort((a, b) => String(a).localeCompare(String(b))) };
}

/** The parts of the state that are stored, in a comparable form. */
function storedView(state: HostState) {
  const session = state.session;
  const guess = state.activities.guess as GuessState;
  const hat = (state.activities.hat as HatState).game;
  return {
    session: {
      status: session.status,
      locked: session.locked,
      paused: session.paused,
      endedAt: session.endedAt,
      current: session.current,
      planStep: session.planStep,
      participants: session.participantOrder.map((id) => {
        const p = session.participants.get(id)!;
        return [p.id, p.nickname, p.kicked, p.joinedAt];
      }),
    },
    guess: {
      rounds: guess.rounds.map(({ votes, picking: _picking, ...r }) => ({ ...r, predictions: [...r.predictions], votes: r.status === "voting" ? [...votes.entries()].map(([k, v]) => [k, v.tokenId]) : [] })),
      threads: guess.threads,
      scores: [...guess.scores.entries()].sort(),
    },
    hat:
      hat && (hat.status === "running" || hat.status === "finished")
        ? { id: hat.meta.id, status: hat.status, dial: hat.dial, openBlank: hat.openBlank, fills: Object.values(hat.stories).filter((st) => st.fills.length > 0).map((st) => [st.participantId, st.fills.map((f) => f.seed)]).sort() }
        : null,
    slide: state.activities.slide,
    explore: state.activities.explore,
    calibration: calibrationView((state.activities.calibration as CalibrationState).game),
  };
}

async function fuzz(seed: number, steps: number) {
  const rng = seededRng(seed);
  const w = world({ seed });
  const st = stores();
  await st.sessions.createSession(sessionRowOf(w.state.session));
  const draws = new Set<string>();
  for (let n = 0; n < steps; n++) {
    const command = nextCommand(w, rng, n);
    const before = w.state;
    const result = applyHost(before, command, w.ctx, rules);
    if (!result.ok) continue;
    const after = result.state;
    // Invariants.
    expect(after.session.seq).toBeGreaterThanOrEqual(before.session.seq);
    if (after !== before) expect(after.session.seq).toBeGreaterThan(before.session.seq);
    if (command.to === "start") expect(currentActivity(before, rules)?.status).not.toBe("running");
    if (command.to === "activity" && command.kind === "guess" && command.command.type === "vote") expect(currentRound(before.activities.guess as GuessState)?.status).toBe("voting");
    if (command.to === "activity" && command.kind === "hat" && command.command.type === "requestDraw" && result.effects.some((e) => e.effect.type === "run")) {
      expect((before.activities.hat as HatState).game?.status).toBe("running");
    }
    if (command.to === "activity" && command.kind === "hat" && command.command.type === "drawCommitted") {
      const c = command.command as Extract<import("../../../server/activities/hat/hat-state.ts").HatCommand, { type: "drawCommitted" }>;
      // The draw job records a fill before it reports it (the unique key keeps the first).
      const recorded = await st.activities.hat.rows.recordDraw({ gameId: (before.activities.hat as HatState).game!.meta.id, participantId: c.participantId, fill: c.fill });
      expect(recorded.recorded).toBe(draws.has(`${c.participantId}:${c.fill.blank}`));
      draws.add(`${c.participantId}:${c.fill.blank}`);
    }
    const game = (after.activities.hat as HatState).game;
    for (const story of Object.values(game?.stories ?? {})) expect(new Set(story.fills.map((f) => f.blank)).size).toBe(story.fills.length);
    w.state = after;
    await persist(st, after, result.effects as never);
  }
  // Resuming from the stored rows gives the live state back.
  const stored = await st.sessions.loadSession(w.state.session.meta.code);
  const session = sessionStateFromStored(stored!, "<svg/>", 0);
  const activities = Object.fromEntries(await Promise.all(Object.entries(st.activities).map(async ([kind, store]) => [kind, await store.load(session)]))) as HostState["activities"];
  const live = storedView(w.state);
  const restored = storedView({ session, activities });
  // A game still tokenizing its template is not stored yet: a restart falls back to the last stored one.
  const starting = ["starting", "failed"].includes((w.state.activities.hat as HatState).game?.status ?? "");
  expect(starting ? { ...restored, hat: null } : restored).toEqual(live);
}

describe("seeded fuzz of the session host's rules", () => {
  it("2,000 random sequences keep every invariant and resume from their rows unchanged", async () => {
    for (let seed = 1; seed <= 2000; seed++) await fuzz(seed, 40);
  }, 120_000);

  it("a few long sequences get deep into every activity", async () => {
    for (let seed = 9001; seed <= 9010; seed++) await fuzz(seed, 600);
  }, 120_000);
});
