// Table tests of the calibration game's rules on the session host, and of what each role sees.
import { describe, expect, it } from "vitest";
import type { CalibrationCommand, CalibrationState, ModelAnswer } from "../../../../server/activities/calibration/calibration-state.ts";
import { calibrationFinale, calibrationMine, calibrationShared } from "../../../../server/activities/calibration/calibration-views.ts";
import { builtInQuestionSet } from "../../../../server/activities/calibration/question-sets.ts";
import type { HostCommand } from "../../../../server/session/host-machine.ts";
import { effectsOf, join, rejects, run, s, start, world, type World } from "../../session/host-world.ts";

const c = (command: CalibrationCommand): HostCommand => ({ to: "activity", kind: "calibration", command });
const cal = (w: World) => (w.state.activities.calibration as CalibrationState).game!;
const questions = [
  { text: "Capital of Norway?", prompt: "The capital of Norway is", answers: ["Oslo"], source: "often" as const },
  { text: "Was Zed a poet?", prompt: "Question: Was Zed a poet? Answer:", answers: [], choices: ["Yes", "No"], source: "madeup" as const },
  { text: "Capital of Varnistan?", prompt: "The capital of Varnistan is", answers: [], source: "madeup" as const },
];
const model = (answer: string, p: number, entropyBits: number, correct: boolean): ModelAnswer => ({ answer, tokenId: 1, tokenText: ` ${answer}`, p, entropyBits, correct, top: [{ id: 1, text: ` ${answer}`, p }] });
const modelAnswers = [model("Oslo", 0.96, 0.4, true), model("Yes", 0.86, 0.6, false), model("Hanoi", 0.58, 3.5, false)];
const answer = (participantId: string, question: number, text: string, confidence: number | null) => c({ type: "answer", participantId, gameId: "c1", question, answer: text, confidence });

function asking(ids = ["a", "b"]): World {
  const w = world();
  for (const id of ids) run(w, join(id));
  return run(w, start("c1", { kind: "calibration", input: { questions, threshold: null } }), c({ type: "modelAnswered", gameId: "c1", answers: modelAnswers }));
}

describe("the calibration game rules", () => {
  it("the model answers first (the start's ack waits for it), and nothing else can start meanwhile", () => {
    const w = run(world(), join("a"), start("c1", { kind: "calibration", input: { setId: "quick-five", threshold: null } }));
    expect(cal(w)).toMatchObject({ status: "preparing", questions: builtInQuestionSet("quick-five")!.questions });
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "modelAnswers", gameId: "c1" }, wait: true, key: "calibration:c1" });
    expect(rejects(w, answer("a", 0, "Oslo", 90))).toBe("busy");
    expect(rejects(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "x" } }))).toBe("activity_running");
  });

  it("an unknown set is refused before anything starts", () => {
    expect(rejects(world(), start("c1", { kind: "calibration", input: { setId: "nope", threshold: null } }))).toBe("question_set_not_found");
  });

  it("answers are checked against the open question, committed, and may change until the host moves on", () => {
    const w = asking();
    run(w, answer("a", 0, " oslo ", 90));
    expect(cal(w).answers.get("a")!.get(0)).toMatchObject({ answer: "oslo", confidence: 90, correct: true });
    expect(effectsOf(w)[0]).toMatchObject({ type: "persist", op: { kind: "answer", participantId: "a", question: 0 } });
    run(w, answer("a", 0, "Bergen", 60));
    expect(cal(w).answers.get("a")!.get(0)).toMatchObject({ answer: "Bergen", correct: false });
    expect(rejects(w, answer("a", 1, "Yes", 90))).toBe("question_closed");
    expect(rejects(w, answer("a", 0, "  ", 90))).toBe("answer_empty");
    expect(rejects(w, answer("zz", 0, "Oslo", 90))).toBe("not_joined");
    run(w, c({ type: "next" }));
    expect(rejects(w, answer("b", 0, "Oslo", 90))).toBe("question_closed");
    expect(rejects(w, answer("b", 1, "Maybe", 90))).toBe("not_a_choice");
    run(w, answer("b", 1, "", null));
    expect(cal(w).answers.get("b")!.get(1)).toMatchObject({ confidence: null, correct: false });
  });

  it("moving to a question already reached (a repeated tap, or one sent again after a failover) skips none", () => {
    const w = run(asking(), c({ type: "next", question: 1 }));
    const moved = w.state;
    run(w, c({ type: "next", question: 1 }));
    expect(w.state).toBe(moved);
    expect(cal(w).index).toBe(1);
    run(w, c({ type: "next", question: 2 }));
    expect(cal(w).index).toBe(2);
  });

  it("next stops at the last question; reveal ends it, after which answers and next are refused", () => {
    const w = run(asking(), c({ type: "next" }), c({ type: "next" }));
    expect(rejects(w, c({ type: "next" }))).toBe("last_question");
    run(w, c({ type: "reveal" }));
    expect(cal(w).status).toBe("revealed");
    expect(rejects(w, answer("a", 2, "x", 90))).toBe("calibration_finished");
    expect(rejects(w, c({ type: "reveal" }))).toBe("calibration_finished");
    run(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "x" } }));
  });

  it("Finish while asking is the reveal; a late model answer changes nothing", () => {
    const w = run(asking(), { to: "finish" });
    expect(cal(w).status).toBe("revealed");
    const before = cal(w);
    run(w, c({ type: "modelAnswered", gameId: "c1", answers: [] }));
    expect(cal(w)).toBe(before);
  });

  it("the threshold moves before and after the reveal", () => {
    const w = run(asking(), c({ type: "setThreshold", bits: 3 }), c({ type: "reveal" }), c({ type: "setThreshold", bits: 0.5 }));
    expect(cal(w).threshold).toBe(0.5);
  });

  it("a resumed game still waiting for the model asks it again", () => {
    const w = run(world(), start("c1", { kind: "calibration", input: { questions, threshold: null } }), { to: "resume" });
    expect(cal(w).status).toBe("preparing");
    expect(effectsOf(w)).toContainEqual({ type: "run", job: { kind: "modelAnswers", gameId: "c1" }, wait: false, key: "calibration:c1" });
  });
});

describe("what each role sees", () => {
  it("nobody sees answers, correctness or the model before the reveal", () => {
    const w = run(asking(), answer("a", 0, "Oslo", 90));
    const state = w.state.activities.calibration as CalibrationState;
    const shared = calibrationShared(state, w.state.session);
    expect(shared).toMatchObject({ status: "asking", answered: 1, reveal: null, question: { index: 0, text: "Capital of Norway?", choices: null } });
    expect(JSON.stringify(shared)).not.toContain("Oslo");
    expect(calibrationMine(state, "a")).toEqual({ current: { index: 0, answer: "Oslo", confidence: 90, correct: null }, answers: null, summary: null });
    expect(calibrationMine(state, "b")!.current).toBeNull();
    expect(calibrationFinale(state, w.state.session)).toBeNull();
  });

  it("the reveal sets the class beside the model, over the questions asked", () => {
    const w = run(asking(["a", "b", "k"]), answer("a", 0, "Oslo", 90), answer("b", 0, "Bergen", 80), answer("k", 0, "Oslo", 100), s({ type: "kick", participantIds: ["k"] }));
    run(w, c({ type: "next" }), answer("a", 1, "Yes", 70), answer("b", 1, "", null), c({ type: "setThreshold", bits: 0.5 }), c({ type: "reveal" }));
    const state = w.state.activities.calibration as CalibrationState;
    const reveal = calibrationShared(state, w.state.session).reveal!;
    expect(reveal.asked).toBe(2);
    // The kicked student's answer is not counted; "I don't know" is counted apart.
    expect(reveal.class).toMatchObject({ answered: 3, right: 1, abstained: 1 });
    expect(reveal.class.brier).toBeCloseTo((0.1 ** 2 + 0.8 ** 2 + 0.7 ** 2) / 3, 12);
    // Threshold 0.5 bits: the model says "not sure" on question 2 (0.6 bits); question 3 was never asked.
    expect(reveal.model).toMatchObject({ answered: 1, right: 1, abstained: 1 });
    expect(reveal.tradeoff).toEqual({ threshold: 0.5, right: 1, wrong: 0, notSure: 1 });
    expect(reveal.madeUp).toMatchObject({ n: 1, meanConfidence: 0.86, confident: 1, classDontKnow: 1, classAnswers: 2 });
    expect(reveal.questions[1]!.model).toMatchObject({ answer: "Yes", notSure: true });
    expect(calibrationFinale(state, w.state.session)).toEqual({ title: "Calibration", reveal });
    const mine = calibrationMine(state, "a")!;
    expect(mine.answers).toEqual([
      { index: 0, answer: "Oslo", confidence: 90, correct: true },
      { index: 1, answer: "Yes", confidence: 70, correct: false },
    ]);
    expect(mine.summary).toMatchObject({ answered: 2, right: 1, levels: [{ label: "90%", n: 1, right: 1 }, { label: "70%", n: 1, right: 0 }] });
  });
});
