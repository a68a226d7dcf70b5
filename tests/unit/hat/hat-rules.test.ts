import { describe, expect, it } from "vitest";
import { DEFAULT_DIAL } from "../../../server/hat/hat-dial.ts";
import { applyHat, newHatGame } from "../../../server/hat/hat-rules.ts";
import type { FillState, HatCommand, HatGameMeta, HatGameState } from "../../../server/hat/hat-state.ts";
import { storyPrefixIds } from "../../../server/hat/hat-state.ts";
import { parseTemplate } from "../../../server/hat/hat-templates.ts";
import { mulberry } from "../../support/seeded-probs.ts";

const parsed = parseTemplate("The cat sat on the ___. The dog ran to the ___. It was ___.");
if (!parsed.ok) throw new Error("bad test template");
const meta: HatGameMeta = {
  id: "g1",
  roomId: "r1",
  template: parsed.template,
  model: { id: "fake-base", sha256: "abc" },
  segmentIds: [[1, 5, 6, 8, 9, 5], [19, 5, 7, 12], [19], [19]],
  startedAt: 0,
};
const ctx = (now = 1000, seed = 1) => ({ now, rng: mulberry(seed) });

function start(ids = ["a", "b"]): HatGameState {
  return newHatGame(meta, ids, DEFAULT_DIAL).state;
}

function run(state: HatGameState, command: HatCommand, c = ctx()) {
  const result = applyHat(state, command, c);
  if (!result.ok) throw new Error(`unexpected ${result.code}`);
  return result;
}

const fill = (blank: number, seed: number, ids = [10]): FillState => ({
  blank,
  text: " mat",
  tokens: ids.map((id) => ({ id, text: " mat", p: 0.2, count: 2000, slip: 5 })),
  seed,
  dial: DEFAULT_DIAL,
  stop: "word_end",
  hat: { top: [], otherCount: 0, cutMass: 0, modelEntropyBits: 2 },
  drawnAt: 2000,
});

describe("the hat game rules", () => {
  it("a new game opens blank 1, gives everyone a story and asks for all first hats in one batch", () => {
    const { state, effects } = newHatGame(meta, ["a", "b", "c"], DEFAULT_DIAL);
    expect(state.openBlank).toBe(0);
    expect(Object.keys(state.stories)).toEqual(["a", "b", "c"]);
    expect(effects).toContainEqual({ type: "prepareHats", participantIds: ["a", "b", "c"] });
    expect(effects[0]).toEqual({ type: "persistGame" });
  });

  it("a draw request fixes a server seed and the dial, and asks the shell to draw", () => {
    const r = run(start(), { type: "requestDraw", participantId: "a", blank: 0 });
    const pending = r.state.stories.a!.pending!;
    expect(pending.blank).toBe(0);
    expect(Number.isInteger(pending.seed)).toBe(true);
    expect(r.effects[0]).toEqual({ type: "draw", participantId: "a", blank: 0, seed: pending.seed, dial: DEFAULT_DIAL });
  });

  it("a repeated tap while drawing joins the same draw: no new seed, no new effect", () => {
    const first = run(start(), { type: "requestDraw", participantId: "a", blank: 0 }, ctx(1000, 1));
    const again = run(first.state, { type: "requestDraw", participantId: "a", blank: 0 }, ctx(1100, 2));
    expect(again.effects).toEqual([]);
    expect(again.state.stories.a!.pending).toEqual(first.state.stories.a!.pending);
  });

  it("a duplicate draw of a filled blank changes nothing (the shell answers with the record)", () => {
    let s = run(start(), { type: "requestDraw", participantId: "a", blank: 0 }).state;
    s = run(s, { type: "drawCommitted", participantId: "a", fill: fill(0, 7) }).state;
    const dup = run(s, { type: "requestDraw", participantId: "a", blank: 0 });
    expect(dup.state).toBe(s);
    expect(dup.effects).toEqual([]);
    // A second commit for the same blank (e.g. a retried write) is ignored too.
    expect(run(s, { type: "drawCommitted", participantId: "a", fill: fill(0, 8) }).state.stories.a!.fills[0]!.seed).toBe(7);
  });

  it("blanks are drawn in order, and only once the host opened them", () => {
    let s = start();
    expect(applyHat(s, { type: "requestDraw", participantId: "a", blank: 1 }, ctx())).toEqual({ ok: false, code: "blank_out_of_order" });
    s = run(s, { type: "requestDraw", participantId: "a", blank: 0 }).state;
    s = run(s, { type: "drawCommitted", participantId: "a", fill: fill(0, 7) }).state;
    expect(applyHat(s, { type: "requestDraw", participantId: "a", blank: 1 }, ctx())).toEqual({ ok: false, code: "blank_not_open" });
    expect(applyHat(s, { type: "requestDraw", participantId: "zed", blank: 0 }, ctx())).toEqual({ ok: false, code: "not_joined" });
  });

  it("opening the next blank batches the hats of everyone who has filled the last one", () => {
    let s = start(["a", "b", "c"]);
    for (const id of ["a", "b"]) {
      s = run(s, { type: "requestDraw", participantId: id, blank: 0 }).state;
      s = run(s, { type: "drawCommitted", participantId: id, fill: fill(0, 3) }).state;
    }
    const opened = run(s, { type: "openNextBlank" });
    expect(opened.state.openBlank).toBe(1);
    expect(opened.effects).toContainEqual({ type: "prepareHats", participantIds: ["a", "b"] });
    // c catches up later: its blank-2 hat is asked for as soon as its blank 1 is committed.
    let t = run(opened.state, { type: "requestDraw", participantId: "c", blank: 0 }).state;
    const caught = run(t, { type: "drawCommitted", participantId: "c", fill: fill(0, 4) });
    expect(caught.effects).toContainEqual({ type: "prepareHats", participantIds: ["c"] });
    t = run(run(caught.state, { type: "openNextBlank" }).state, { type: "requestDraw", participantId: "a", blank: 1 }).state;
    expect(t.openBlank).toBe(2);
    expect(applyHat(t, { type: "openNextBlank" }, ctx())).toEqual({ ok: false, code: "last_blank" });
  });

  it("the dial reshapes every hat without asking the model, and a same-dial change is a no-op", () => {
    const s = start();
    const r = run(s, { type: "setDial", dial: { temperature: 0.5, topP: 0.9, topK: null } });
    expect(r.effects).toContainEqual({ type: "reshapeHats" });
    expect(r.effects.some((e) => e.type === "prepareHats")).toBe(false);
    expect(run(s, { type: "setDial", dial: DEFAULT_DIAL }).effects).toEqual([]);
  });

  it("a draw keeps the dial it was requested under, even if the dial moves before it finishes", () => {
    let s = run(start(), { type: "requestDraw", participantId: "a", blank: 0 }).state;
    s = run(s, { type: "setDial", dial: { temperature: 2, topP: 1, topK: null } }).state;
    expect(s.stories.a!.pending!.dial).toEqual(DEFAULT_DIAL);
  });

  it("a failed draw can be tried again with a new seed", () => {
    let s = run(start(), { type: "requestDraw", participantId: "a", blank: 0 }, ctx(1, 1)).state;
    const seed = s.stories.a!.pending!.seed;
    s = run(s, { type: "drawFailed", participantId: "a", blank: 0 }).state;
    expect(s.stories.a!.pending).toBeNull();
    const retry = run(s, { type: "requestDraw", participantId: "a", blank: 0 }, ctx(2, 5));
    expect(retry.state.stories.a!.pending!.seed).not.toBe(seed);
  });

  it("after the finish no new draw starts, but recorded ones still answer", () => {
    let s = run(start(), { type: "requestDraw", participantId: "a", blank: 0 }).state;
    s = run(s, { type: "drawCommitted", participantId: "a", fill: fill(0, 7) }).state;
    s = run(s, { type: "finish" }, ctx(5000)).state;
    expect(s.status).toBe("finished");
    expect(s.endedAt).toBe(5000);
    expect(applyHat(s, { type: "requestDraw", participantId: "b", blank: 0 }, ctx())).toEqual({ ok: false, code: "game_finished" });
    expect(applyHat(s, { type: "requestDraw", participantId: "a", blank: 0 }, ctx()).ok).toBe(true);
    expect(applyHat(s, { type: "setDial", dial: { temperature: 2, topP: 1, topK: null } }, ctx())).toEqual({ ok: false, code: "game_finished" });
  });

  it("a student who joins mid-game gets a story and a hat for blank 1", () => {
    const r = run(start(), { type: "addStory", participantId: "late" });
    expect(r.state.order).toEqual(["a", "b", "late"]);
    expect(r.effects).toContainEqual({ type: "prepareHats", participantIds: ["late"] });
    expect(run(r.state, { type: "addStory", participantId: "late" }).effects).toEqual([]);
  });

  it("each story's prefix interleaves the template's token ids with its own drawn tokens", () => {
    let s = run(start(), { type: "requestDraw", participantId: "a", blank: 0 }).state;
    s = run(s, { type: "drawCommitted", participantId: "a", fill: fill(0, 7, [10, 11]) }).state;
    expect(storyPrefixIds(meta, s.stories.a!, 0)).toEqual([1, 5, 6, 8, 9, 5]);
    expect(storyPrefixIds(meta, s.stories.a!, 1)).toEqual([1, 5, 6, 8, 9, 5, 10, 11, 19, 5, 7, 12]);
    expect(() => storyPrefixIds(meta, s.stories.b!, 1)).toThrow(RangeError);
  });

  it("every change bumps seq; no-ops keep it", () => {
    const s = start();
    expect(run(s, { type: "openNextBlank" }).state.seq).toBe(s.seq + 1);
    expect(run(s, { type: "addStory", participantId: "a" }).state.seq).toBe(s.seq);
  });
});
