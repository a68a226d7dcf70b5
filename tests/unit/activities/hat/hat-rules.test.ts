// Table tests of the hat activity's rules on the session host.
import { describe, expect, it } from "vitest";
import { DEFAULT_DIAL } from "../../../../server/activities/hat/hat-dial.ts";
import { storyPrefixIds, type FillState } from "../../../../server/activities/hat/hat-state.ts";
import { effectsOf, h, hatOf, join, rejects, run, s, start, world, type World } from "../../session/host-world.ts";

const TEMPLATE = "The cat sat on the ___. The dog ran to the ___. It was ___.";
const segmentIds = [[1, 5, 6, 8, 9, 5], [19, 5, 7, 12], [19], [19]];

/** A running game for these players: started, template tokenized. */
function game(ids = ["a", "b"], seed = 1): World {
  const w = world({ seed });
  for (const id of ids) run(w, join(id));
  run(w, start("g1", { kind: "hat", input: { text: TEMPLATE } }), h({ type: "gameReady", gameId: "g1", segmentIds, entropy: null }));
  return w;
}
const game1 = (w: World) => hatOf(w).game!;
const draw = (participantId: string, blank: number) => h({ type: "requestDraw", participantId, gameId: "g1", blank });
const commit = (participantId: string, f: FillState) => h({ type: "drawCommitted", participantId, fill: f });

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
  it("starting tokenizes the template first (the ack waits), and nothing else can start meanwhile", () => {
    const w = run(world(), join("a"), start("g1", { kind: "hat", input: { text: TEMPLATE } }));
    expect(game1(w).status).toBe("starting");
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "setup", gameId: "g1" }, wait: true });
    expect(rejects(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "x" } }))).toBe("activity_running");
  });

  it("a template with the wrong number of blanks is refused before anything starts", () => {
    expect(rejects(world(), start("g1", { kind: "hat", input: { text: "Only ___ one blank." } }))).toBe("template_blanks");
    expect(rejects(world(), start("g1", { kind: "hat", input: { templateId: "nope" } }))).toBe("template_not_found");
  });

  it("once tokenized, the game opens blank 1, gives everyone a story and asks for all first hats in one batch", () => {
    const w = run(world(), join("a"), join("b"), join("c"), start("g1", { kind: "hat", input: { text: TEMPLATE } }), h({ type: "gameReady", gameId: "g1", segmentIds, entropy: null }));
    expect(game1(w).openBlank).toBe(0);
    expect(Object.keys(game1(w).stories)).toEqual(["a", "b", "c"]);
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "prepareHats", participantIds: ["a", "b", "c"] } });
    expect(effectsOf(w)[0]).toEqual({ type: "persist", op: { kind: "game" } });
  });

  it("a failed tokenization fails the game, which then blocks nothing", () => {
    const w = run(world(), start("g1", { kind: "hat", input: { text: TEMPLATE } }), h({ type: "gameFailed", gameId: "g1", code: "model_unavailable" }));
    expect(game1(w)).toMatchObject({ status: "failed", error: "model_unavailable" });
    run(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "x" } }));
  });

  it("a draw request fixes a server seed and the dial, and asks the host to draw", () => {
    const w = run(game(), draw("a", 0));
    const pending = game1(w).stories.a!.pending!;
    expect(pending.blank).toBe(0);
    expect(Number.isInteger(pending.seed)).toBe(true);
    expect(effectsOf(w)[0]).toEqual({ type: "run", wait: true, key: "draw:a:0", job: { kind: "draw", participantId: "a", blank: 0, seed: pending.seed, dial: DEFAULT_DIAL } });
  });

  it("a repeated tap while drawing joins the same draw: no new seed, the same keyed job", () => {
    const w = run(game(), draw("a", 0));
    const pending = game1(w).stories.a!.pending!;
    run(w, draw("a", 0));
    expect(effectsOf(w)).toEqual([{ type: "run", wait: true, key: "draw:a:0", job: { kind: "draw", participantId: "a", blank: 0, seed: pending.seed, dial: DEFAULT_DIAL } }]);
    expect(game1(w).stories.a!.pending).toEqual(pending);
  });

  it("a duplicate draw of a filled blank changes nothing (the ack answers with the record)", () => {
    const w = run(game(), draw("a", 0), commit("a", fill(0, 7)));
    const before = w.state;
    run(w, draw("a", 0));
    expect(w.state).toBe(before);
    // A second commit for the same blank (e.g. a retried write) is ignored too.
    run(w, commit("a", fill(0, 8)));
    expect(game1(w).stories.a!.fills[0]!.seed).toBe(7);
  });

  it("blanks are drawn in order, and only once the host opened them", () => {
    const w = game();
    expect(rejects(w, draw("a", 1))).toBe("blank_out_of_order");
    run(w, draw("a", 0), commit("a", fill(0, 7)));
    expect(rejects(w, draw("a", 1))).toBe("blank_not_open");
    expect(rejects(w, draw("zed", 0))).toBe("not_joined");
    expect(rejects(w, h({ type: "requestDraw", participantId: "a", gameId: "old", blank: 1 }))).toBe("no_game");
  });

  it("no draw starts while the room is paused", () => {
    expect(rejects(run(game(), s({ type: "setPaused", paused: true })), draw("a", 0))).toBe("paused");
  });

  it("opening the next blank batches the hats of everyone who has filled the last one", () => {
    const w = game(["a", "b", "c"]);
    for (const id of ["a", "b"]) run(w, draw(id, 0), commit(id, fill(0, 3)));
    run(w, h({ type: "openNextBlank" }));
    expect(game1(w).openBlank).toBe(1);
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "prepareHats", participantIds: ["a", "b"] } });
    // c catches up later: its blank-2 hat is asked for as soon as its blank 1 is committed.
    run(w, draw("c", 0), commit("c", fill(0, 4)));
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "prepareHats", participantIds: ["c"] } });
    run(w, h({ type: "openNextBlank" }), draw("a", 1));
    expect(game1(w).openBlank).toBe(2);
    expect(rejects(w, h({ type: "openNextBlank" }))).toBe("last_blank");
  });

  it("opening a blank that is already open (a repeated tap, or one sent again after a failover) changes nothing", () => {
    const w = run(game(["a"]), h({ type: "openNextBlank", blank: 1 }));
    const opened = w.state;
    run(w, h({ type: "openNextBlank", blank: 1 }));
    expect(w.state).toBe(opened);
    expect(w.effects).toEqual([]);
    run(w, h({ type: "openNextBlank", blank: 2 }));
    expect(game1(w).openBlank).toBe(2);
  });

  it("the dial reshapes every hat without asking the model, and a same-dial change is a no-op", () => {
    const w = run(game(), h({ type: "setDial", dial: { temperature: 0.5, topP: 0.9, topK: null } }));
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "reshapeHats" } });
    expect(effectsOf(w).some((e) => e.type === "run" && (e.job as { kind: string }).kind === "prepareHats")).toBe(false);
    run(w, h({ type: "setDial", dial: { temperature: 0.5, topP: 0.9, topK: null } }));
    expect(w.effects).toEqual([]);
  });

  it("a draw keeps the dial it was requested under, even if the dial moves before it finishes", () => {
    const w = run(game(), draw("a", 0), h({ type: "setDial", dial: { temperature: 2, topP: 1, topK: null } }));
    expect(game1(w).stories.a!.pending!.dial).toEqual(DEFAULT_DIAL);
  });

  it("a failed draw can be tried again with a new seed", () => {
    const w = run(game(), draw("a", 0));
    const seed = game1(w).stories.a!.pending!.seed;
    run(w, h({ type: "drawFailed", participantId: "a", blank: 0 }));
    expect(game1(w).stories.a!.pending).toBeNull();
    run(w, draw("a", 0));
    expect(game1(w).stories.a!.pending!.seed).not.toBe(seed);
  });

  it("after the finish no new draw starts, but recorded ones still answer", () => {
    const w = run(game(), draw("a", 0), commit("a", fill(0, 7)), { to: "finish" });
    expect(game1(w).status).toBe("finished");
    expect(game1(w).endedAt).toBeGreaterThan(0);
    expect(rejects(w, draw("b", 0))).toBe("game_finished");
    run(w, draw("a", 0));
    expect(rejects(w, h({ type: "setDial", dial: { temperature: 2, topP: 1, topK: null } }))).toBe("game_finished");
  });

  it("ending the session finishes a running game", () => {
    const w = run(game(), s({ type: "end" }));
    expect(game1(w).status).toBe("finished");
  });

  it("a student who joins mid-game gets a story and a hat for blank 1", () => {
    const w = run(game(), join("late"));
    expect(game1(w).order).toEqual(["a", "b", "late"]);
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "prepareHats", participantIds: ["late"] } });
  });

  it("each story's prefix interleaves the template's token ids with its own drawn tokens", () => {
    const w = run(game(), draw("a", 0), commit("a", fill(0, 7, [10, 11])));
    const meta = game1(w).meta;
    expect(storyPrefixIds(meta, game1(w).stories.a!, 0)).toEqual([1, 5, 6, 8, 9, 5]);
    expect(storyPrefixIds(meta, game1(w).stories.a!, 1)).toEqual([1, 5, 6, 8, 9, 5, 10, 11, 19, 5, 7, 12]);
    expect(() => storyPrefixIds(meta, game1(w).stories.b!, 1)).toThrow(RangeError);
  });

  it("every change bumps seq; no-ops keep it", () => {
    const w = game();
    const seq = w.state.session.seq;
    run(w, h({ type: "openNextBlank" }));
    expect(w.state.session.seq).toBe(seq + 1);
    run(w, h({ type: "setDial", dial: DEFAULT_DIAL }));
    expect(w.state.session.seq).toBe(seq + 1);
  });
});
