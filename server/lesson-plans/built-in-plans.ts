// The lesson plan that ships with Token Hat. It follows "The anatomy of a hallucination"
// (shared/seeds) in about 45 minutes: next-token guessing, the hat, a known vs a made-up name, raw vs
// instruction-wrapped, the "I don't know" model, a calibration game, the chain rule and the model on every phone on the class's own text. Every
// prompt here is checked against the bundled models by tests/integration/models/built-in-examples.
import { planBodySchema, type LessonPlan, type PlanBody } from "../../contract/protocol/lesson-plan.ts";

function builtIn(id: string, body: PlanBody): LessonPlan {
  // Parsed like an instructor's plan, so a typo in a built-in fails at start, not in class.
  const parsed = planBodySchema.parse(body);
  return { id, title: parsed.title, steps: parsed.steps.length, builtIn: true, ownerId: null, updatedAt: null, body: parsed };
}

export const ANATOMY_PLAN: LessonPlan = builtIn("built-in:anatomy", {
    title: "The anatomy of a hallucination (55 min)",
    steps: [
      {
        kind: "slide",
        input: {
          title: "Today, you are the language model",
          body: "A language model writes one small piece of text at a time: a token.\n\nFor every possible next token it has a probability. We will guess those tokens, draw them from a hat, and see where made-up facts come from.",
        },
        notes: "2 min. Ask everyone to join with the code on the screen. Say: nobody can fail today, the model gets things wrong too, and that is the lesson.",
      },
      {
        kind: "guess",
        input: { mode: "round", prompt: "Once upon a", timerSeconds: 30 },
        notes: "3 min. Let them type one word. After the reveal: nearly everyone and the model agree on ' time'. That is a specific pattern: the model saw this phrase many times, so its distribution is peaked (low entropy).",
      },
      {
        kind: "slide",
        input: {
          title: "Every token gets a probability",
          body: "The model scores all 6,000 tokens it knows, then turns the scores into probabilities that add up to 100%.\n\nEntropy, in bits, says how spread out they are: 0 bits means one sure answer, more bits means more guessing.",
        },
        notes: "2 min. Point at the bars on the last reveal: the top token, the long tail, and 'the rest'. Surprise in bits is -log2 of the probability the model gave to your guess: the same number the model is trained to make small.",
      },
      {
        kind: "guess",
        input: { mode: "round", prompt: "The capital of France is", timerSeconds: 30 },
        notes: "3 min. A fact the training text repeats in many phrasings: nearly all the probability sits on ' Paris' (low entropy). After the reveal, pick the model's top token so the class starts a text together.",
      },
      {
        kind: "guess",
        input: { mode: "continue", timerSeconds: 30 },
        notes: "2 min. The class writes the next token of its own text. Pick the class favourite this time.",
      },
      {
        kind: "guess",
        input: { mode: "continue", timerSeconds: 30 },
        notes: "2 min. One more token. Try 'sample at temperature 1' to show that the model can also draw a less likely token.",
      },
      {
        kind: "hat",
        input: { templateId: "capitals" },
        notes: "5 min. Every phone gets a hat of 10,000 slips built from the model's numbers. Open the blanks one by one. Well-known facts: most slips carry the right capital. Then move the temperature dial to 1.8 and back to 0.3: watch the hat flatten and sharpen on the projector; at 1.8 wrong capitals get drawn, from the same model.",
      },
      {
        kind: "slide",
        input: {
          title: "Specific patterns and Mad Libs",
          body: "When the model has seen a subject many times, its next token is nearly certain.\n\nWhen it has never seen the subject, it still has to say something: it fills the blank with whatever usually goes there, like a game of Mad Libs.",
        },
        notes: "1 min. Set up the comparison that follows.",
      },
      {
        kind: "guess",
        input: { mode: "compare", spec: { compare: "prompts", prompt: "Albert Einstein was a", promptB: "Blake Bourne was a" } },
        notes: "4 min. Phones predict which side the model is surer about. Blake Bourne is a name nobody made famous: the model never saw it. Compare the entropies: flat for the made-up name.",
      },
      {
        kind: "guess",
        input: { mode: "compare", spec: { compare: "prompts", prompt: "Albert Einstein was a", promptB: "Akira Kurosawa was a" } },
        notes: "2 min. Akira Kurosawa is a famous film director, but this model's training text mentions him exactly once (search it on the host console). Seen once is nearly as flat as never seen: how often a fact appears in training, not how famous it is, decides what the model knows. Facts seen once are where models guess most (the singleton rate).",
      },
      {
        kind: "hat",
        input: { templateId: "blake-bourne-sport" },
        notes: "4 min. A made-up person in a sports sentence: every blank is filled with a plausible sport, team or city. Nothing here is a fact; it is a pattern. Read two stories aloud.",
      },
      {
        kind: "slide",
        input: {
          title: "Instruction tuning",
          body: "A base model only continues text. An assistant is trained further on questions wrapped in markers, [INST] … [/INST], each followed by a helpful answer.\n\nIt learns a habit: after the markers, start a confident answer.",
        },
        notes: "2 min.",
      },
      {
        kind: "guess",
        input: { mode: "compare", spec: { compare: "chat", prompt: "Tell me about Blake Bourne", model: "teach-instruct" } },
        notes: "4 min. Same words, raw and wrapped, on the instruction model. Raw, it just continues the text. Wrapped, it is sure the answer starts with the name: the start of a claim about someone who does not exist.",
      },
      {
        kind: "guess",
        input: { mode: "compare", spec: { compare: "models", prompt: "Tell me about Blake Bourne", modelA: "teach-instruct", modelB: "teach-idk", chat: true } },
        notes: "4 min. The second model was trained differently: it was shown answers only for the people its own memory knows well, and \"I don't know who that is.\" for everyone else, invented names included. It learned to decline. Ask: which would you trust?",
      },
      {
        kind: "calibration",
        input: { setId: "quick-five", threshold: null },
        notes: "6 min. Five questions; phones answer and say how sure they are (or \"I don't know\"). The model answered the same questions from its own distribution. At the reveal: dots below the diagonal mean too sure. Point at the made-up subjects: the model is sure anyway. Then tick \"not sure\" on the console and move the threshold: fewer wrong answers, more \"not sure\", but the confident yes/no answers stay, because their entropy is low.",
      },
      {
        kind: "slide",
        input: {
          title: "The chain rule",
          body: "The probability of a whole answer is the product of its tokens' probabilities. Even at 95% per token, 200 tokens in a row come out at about 0.004%.\n\nA fluent made-up answer can still have a low perplexity: sounding sure is not the same as being right.",
        },
        notes: "2 min. Show the class's own text below: each token coloured by how likely the model found it.",
      },
      {
        kind: "guess",
        input: { mode: "continue", timerSeconds: 30 },
        notes: "2 min. One last token of the class's text; the reveal updates its joint probability and perplexity.",
      },
      {
        kind: "slide",
        input: {
          title: "What we saw",
          body: "A model picks tokens from probabilities, one at a time.\n\nWell-known facts give peaked hats; unknown subjects give flat ones, and the model fills the blanks anyway.\n\nInstruction tuning makes it start confident answers, unless it was taught to say \"I don't know\".\n\nHow sure it sounds is not how often it is right: a calibrated answerer who says 90% is right 90% of the time.",
        },
        notes: "3 min.",
      },
      {
        kind: "explore",
        input: { minutes: 5, prompt: "Blake Bourne was a" },
        notes: "5 min. Every phone now runs the model itself: no server, no network once loaded. Suggest a famous name and a made-up one, a hot temperature, the three models side by side. Then end the session from the console: the projector shows every text the class wrote, and phones keep the explorer.",
      },
    ],
});

export const BUILT_IN_PLANS: readonly LessonPlan[] = [ANATOMY_PLAN];
