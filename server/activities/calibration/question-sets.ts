// Built-in question sets. Each question is asked of the class in plain words and of the model as a
// prompt frame the training text uses ("X worked as a", "The capital of X is", "Question: Was X a
// Y? Answer:"). Facts were chosen by how often the bundled training text states them, counted in
// models/training-data/corpus.txt.gz, not by what the model answers:
//   often  — the fact is stated 5 or more times (Oslo 13, Max Planck a physicist 9, Newton from England 5);
//   once   — the person appears in one sentence of the whole text;
//   madeup — the name or country appears nowhere, so the honest answer is "nobody knows".
import type { Question, QuestionSetOption } from "../../../contract/protocol/calibration.ts";

const YES_NO = ["Yes", "No"];

const q = (source: Question["source"], text: string, prompt: string, answers: string[], choices?: string[]): Question => ({
  source,
  text,
  prompt,
  answers,
  ...(choices ? { choices } : {}),
});

const norway = q("often", "What is the capital of Norway?", "The capital of Norway is", ["Oslo"]);
const planck = q("often", "What was Max Planck's job?", "Max Planck worked as a", ["physicist", "scientist", "theoretical physicist"]);
const borodin = q("once", "What was Aleksandr Borodin's job?", "Aleksandr Borodin worked as a", ["composer", "musician", "chemist"]);
const lunetta = q("madeup", "Was Lunetta Marsh a singer?", "Question: Was Lunetta Marsh a singer? Answer:", [], YES_NO);
const varnistan = q("madeup", "What is the capital of Varnistan?", "The capital of Varnistan is", []);

export const BUILT_IN_QUESTION_SETS: readonly QuestionSetOption[] = [
  {
    id: "people-and-places",
    title: "People and places (11 questions)",
    lesson: "Facts the model read many times, facts it read once, and names nobody has heard of. Watch how sure it sounds on all three.",
    questions: [
      norway,
      planck,
      borodin,
      lunetta,
      q("often", "Where did Isaac Newton come from?", "Isaac Newton came from", ["England", "Britain", "Great Britain", "United Kingdom", "UK"]),
      q("once", "Where did Christiaan Huygens come from?", "Christiaan Huygens came from", ["Netherlands", "Holland"]),
      varnistan,
      q("often", "Was Elvis Presley a singer?", "Question: Was Elvis Presley a singer? Answer:", ["Yes"], YES_NO),
      q("madeup", "What was Corvin Alderby's job?", "Corvin Alderby worked as a", []),
      q("once", "Was Anna Pavlova a ballerina?", "Question: Was Anna Pavlova a ballerina? Answer:", ["Yes"], YES_NO),
      q("madeup", "Was Kasimir Pellow a composer?", "Question: Was Kasimir Pellow a composer? Answer:", [], YES_NO),
    ],
  },
  {
    id: "quick-five",
    title: "Quick five (5 questions)",
    lesson: "A short mix for a lesson plan: two well-known facts, one the model read once, two made-up subjects.",
    questions: [norway, borodin, lunetta, planck, varnistan],
  },
];

export const builtInQuestionSet = (id: string) => BUILT_IN_QUESTION_SETS.find((s) => s.id === id);
