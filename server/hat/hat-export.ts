// The hat's part of a session review and its exports: every game with its template, model and dial,
// every draw (participant, blank, the top of the hat it came from, the tokens, probabilities and
// seed), and the final stories with their chain-rule numbers.
import type { Dial, DrawnTokenView, EntropyCompareView, FillStop, StoryView } from "../protocol/hat-protocol.ts";
import type { StoredHatGame } from "./hat-records.ts";
import { stateFromStored } from "./hat-records.ts";
import { storyView } from "./hat-snapshot.ts";

export interface HatDrawReview {
  participantId: string;
  nickname: string;
  blank: number;
  text: string;
  tokens: DrawnTokenView[];
  /** Probability of the whole fill: the product of its tokens' model probabilities. */
  p: number;
  seed: number;
  dial: Dial;
  stop: FillStop;
  /** The hat the first token came from: its most likely slips out of 10,000, and the rest. */
  hat: { top: { text: string; count: number }[]; otherCount: number; cutMass: number; modelEntropyBits: number };
  drawnAt: string;
}

export interface HatGameReview {
  id: string;
  title: string;
  templateId: string | null;
  templateText: string;
  segments: string[];
  /** Token ids of the literal segments, so each story's prefixes can be rebuilt exactly. */
  segmentIds: number[][];
  maxTokens: number;
  model: { id: string; sha256: string };
  /** The dial when the game ended (each draw records its own). */
  dial: Dial;
  status: "running" | "finished";
  entropy: EntropyCompareView | null;
  startedAt: string;
  endedAt: string | null;
  draws: HatDrawReview[];
  stories: StoryView[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export function hatReview(games: StoredHatGame[], nickname: (participantId: string) => string): HatGameReview[] {
  return games.map((stored) => {
    const { game } = stored;
    const state = stateFromStored(stored, []);
    return {
      id: game.id,
      title: game.title,
      templateId: game.template.id,
      templateText: game.template.text,
      segments: game.template.segments,
      segmentIds: game.segmentIds,
      maxTokens: game.template.maxTokens,
      model: { id: game.modelId, sha256: game.modelSha256 },
      dial: game.dial,
      status: game.status,
      entropy: game.entropy,
      startedAt: iso(game.startedAt),
      endedAt: game.endedAt === null ? null : iso(game.endedAt),
      draws: stored.draws.map(({ participantId, fill }) => ({
        participantId,
        nickname: nickname(participantId),
        blank: fill.blank,
        text: fill.text,
        tokens: fill.tokens,
        p: fill.tokens.reduce((acc, t) => acc * t.p, 1),
        seed: fill.seed,
        dial: fill.dial,
        stop: fill.stop,
        hat: { top: fill.hat.top.map((t) => ({ text: t.text, count: t.count })), otherCount: fill.hat.otherCount, cutMass: fill.hat.cutMass, modelEntropyBits: fill.hat.modelEntropyBits },
        drawnAt: iso(fill.drawnAt),
      })),
      stories: state.order.map((id) => storyView(state, state.stories[id]!, nickname(id))),
    };
  });
}

/** Columns the hat adds to the session CSV, after the rooms' own. */
export const HAT_CSV_COLUMNS = [
  "hat_game",
  "hat_template",
  "blank",
  "fill_text",
  "fill_tokens",
  "slips",
  "hat_top",
  "dial_temperature",
  "dial_top_p",
  "dial_top_k",
  "story",
  "log2_prob",
  "perplexity",
] as const;

export type HatCsvRow = Partial<Record<(typeof HAT_CSV_COLUMNS)[number] | "row_type" | "session_code" | "model_id" | "model_sha256" | "participant_id" | "nickname" | "p" | "seed" | "at", string | number | null>>;

/** One "hat_draw" row per draw, then one "hat_story" row per story. */
export function hatCsvRows(code: string, games: HatGameReview[]): HatCsvRow[] {
  const rows: HatCsvRow[] = [];
  for (const g of games) {
    for (const d of g.draws) {
      rows.push({
        row_type: "hat_draw",
        session_code: code,
        model_id: g.model.id,
        model_sha256: g.model.sha256,
        hat_game: g.id,
        hat_template: g.templateText,
        participant_id: d.participantId,
        nickname: d.nickname,
        blank: d.blank + 1,
        fill_text: d.text,
        fill_tokens: d.tokens.map((t) => `${t.id}:${JSON.stringify(t.text)}@${t.p}`).join(" "),
        slips: d.tokens.map((t) => `${t.slip}/${t.count}`).join(" "),
        hat_top: d.hat.top.map((t) => `${JSON.stringify(t.text)}=${t.count}`).join(" "),
        p: d.p,
        seed: d.seed,
        dial_temperature: d.dial.temperature,
        dial_top_p: d.dial.topP,
        dial_top_k: d.dial.topK,
        at: d.drawnAt,
      });
    }
    for (const s of g.stories) {
      rows.push({
        row_type: "hat_story",
        session_code: code,
        model_id: g.model.id,
        hat_game: g.id,
        hat_template: g.templateText,
        participant_id: s.participantId,
        nickname: s.nickname,
        story: s.text,
        log2_prob: s.log2Prob,
        perplexity: s.perplexity,
      });
    }
  }
  return rows;
}
