// The calibration numbers against tables worked by hand (docs/calibration.md has the rules).
import { describe, expect, it } from "vitest";
import { abstains, binLabel, brierScore, expectedCalibrationError, isCorrect, levels, normaliseAnswer, reliabilityBins, statedLabel, tradeoff, tradeoffCurve } from "../../../../contract/numbers/calibration.ts";
import { parseQuestionLines } from "../../../../contract/protocol/calibration.ts";

const pt = (confidence: number, correct: boolean) => ({ confidence, correct });

describe("when an answer is right", () => {
  it.each([
    ["Oslo", ["Oslo"], true],
    ["  oslo. ", ["Oslo"], true],
    ["Ósló", ["Oslo"], true],
    ["a physicist", ["physicist"], true],
    ["The Netherlands", ["Netherlands"], true],
    ["the", ["the"], true],
    ["Osl", ["Oslo"], false],
    ["Oslo Norway", ["Oslo"], false],
    ["anything", [], false],
    ["", ["Oslo"], false],
  ])("%j against %j is %s", (answer, accepted, right) => {
    expect(isCorrect(answer, accepted)).toBe(right);
  });

  it("normalises case, accents, punctuation and one leading article", () => {
    expect(normaliseAnswer("  The  Hague!! ")).toBe("hague");
    expect(normaliseAnswer("St. John's")).toBe("st john s");
    expect(normaliseAnswer("An")).toBe("an");
  });
});

describe("reliability bins, Brier score and calibration error", () => {
  // Hand-worked: five answers.
  //   0.95 right, 0.9 wrong        → bin [0.9, 1]: n 2, mean 0.925, right 1/2
  //   0.75 right, 0.7 right        → bin [0.7, 0.8): n 2, mean 0.725, right 2/2
  //   0.5 wrong                    → bin [0.5, 0.6): n 1, mean 0.5, right 0
  // Brier = (0.05² + 0.9² + 0.25² + 0.3² + 0.5²) / 5 = (0.0025 + 0.81 + 0.0625 + 0.09 + 0.25) / 5 = 0.243
  // ECE = 2/5·|0.5 − 0.925| + 2/5·|1 − 0.725| + 1/5·|0 − 0.5| = 0.17 + 0.11 + 0.1 = 0.38
  const points = [pt(0.95, true), pt(0.9, false), pt(0.75, true), pt(0.7, true), pt(0.5, false)];

  it("bins by tenths and leaves empty bins out", () => {
    const bins = reliabilityBins(points);
    expect(bins.map((b) => [b.lo, b.n, b.fractionRight])).toEqual([
      [0.5, 1, 0],
      [0.7, 2, 1],
      [0.9, 2, 0.5],
    ]);
    expect(bins[1]!.meanConfidence).toBeCloseTo(0.725, 12);
    expect(bins[2]!.meanConfidence).toBeCloseTo(0.925, 12);
  });

  it("puts a confidence of exactly 100% in the last bin", () => {
    expect(reliabilityBins([pt(1, true)])).toEqual([{ lo: 0.9, hi: 1, n: 1, meanConfidence: 1, fractionRight: 1 }]);
  });

  it("Brier score", () => {
    expect(brierScore(points)).toBeCloseTo(0.243, 12);
    expect(brierScore([pt(0.5, true), pt(0.5, false)])).toBeCloseTo(0.25, 12);
    expect(brierScore([pt(1, true), pt(0, false)])).toBe(0);
    expect(brierScore([])).toBeNull();
  });

  it("expected calibration error", () => {
    expect(expectedCalibrationError(points)).toBeCloseTo(0.38, 12);
    // Perfectly calibrated: 80% sure, right 4 times in 5.
    expect(expectedCalibrationError([pt(0.8, true), pt(0.8, true), pt(0.8, true), pt(0.8, true), pt(0.8, false)])).toBeCloseTo(0, 12);
    expect(expectedCalibrationError([])).toBeNull();
  });

  it("groups stated levels, most confident first", () => {
    expect(levels([pt(0.9, true), pt(0.6, false), pt(0.9, false), pt(0.9, true)], statedLabel)).toEqual([
      { label: "90%", n: 3, right: 2 },
      { label: "60%", n: 1, right: 0 },
    ]);
    expect(binLabel(0.93)).toBe("90–100%");
    expect(binLabel(1)).toBe("90–100%");
    expect(binLabel(0.05)).toBe("0–10%");
  });
});

describe("the model's abstention threshold", () => {
  const answers = [
    { entropyBits: 0.2, correct: true },
    { entropyBits: 0.6, correct: false },
    { entropyBits: 3.5, correct: false },
    { entropyBits: 4.9, correct: false },
    { entropyBits: 2.4, correct: true },
  ];

  it("abstains only strictly above the threshold; null never abstains", () => {
    expect(abstains(3, 3)).toBe(false);
    expect(abstains(3.01, 3)).toBe(true);
    expect(abstains(100, null)).toBe(false);
  });

  it("trades wrong answers for 'not sure'", () => {
    expect(tradeoff(answers, null)).toEqual({ threshold: null, right: 2, wrong: 3, notSure: 0 });
    expect(tradeoff(answers, 3)).toEqual({ threshold: 3, right: 2, wrong: 1, notSure: 2 });
    expect(tradeoff(answers, 1)).toEqual({ threshold: 1, right: 1, wrong: 1, notSure: 3 });
    expect(tradeoff(answers, 0)).toEqual({ threshold: 0, right: 0, wrong: 0, notSure: 5 });
  });

  it("the curve has one point per change, from always answering to never", () => {
    const curve = tradeoffCurve(answers);
    expect(curve[0]).toEqual({ threshold: null, right: 2, wrong: 3, notSure: 0 });
    expect(curve.map((c) => c.notSure)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(curve.map((c) => c.threshold)).toEqual([null, 4.2, 2.95, 1.5, 0.4, 0.1]);
    // Entropies a hair apart still get a point each.
    expect(tradeoffCurve([{ entropyBits: 1.234, correct: false }, { entropyBits: 1.236, correct: false }]).map((c) => c.notSure)).toEqual([0, 1, 2]);
  });
});

describe("a host's own question lines", () => {
  it("reads question | prompt | answers, with ? for nobody knows and yes/no buttons after 'Answer:'", () => {
    const r = parseQuestionLines("What is the capital of Peru? | The capital of Peru is | Lima / Lima city\n\nWas Zara Quill a poet? | Question: Was Zara Quill a poet? Answer: | ?");
    expect(r).toEqual({
      ok: true,
      questions: [
        { text: "What is the capital of Peru?", prompt: "The capital of Peru is", answers: ["Lima", "Lima city"], source: "custom" },
        { text: "Was Zara Quill a poet?", prompt: "Question: Was Zara Quill a poet? Answer:", answers: [], choices: ["Yes", "No"], source: "custom" },
      ],
    });
  });

  it("names the line that is wrong", () => {
    expect(parseQuestionLines("Fine? | Fine is | yes\nno prompt here")).toMatchObject({ ok: false, line: 2 });
    expect(parseQuestionLines("  \n")).toMatchObject({ ok: false });
  });
});
