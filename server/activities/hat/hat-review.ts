// The hat's part of a session review and its tables: every game with its template, model and dial,
// every draw (participant, blank, the top of the hat it came from, the tokens, probabilities and
// seed), and the final stories with their chain-rule numbers.
import type { HatGameReview, HatReview, ReviewTable } from "../../../contract/http/review.ts";
import { gameStateFromStored, type StoredHatGame } from "./hat-records.ts";
import type { HatRows } from "./hat-store.ts";
import { storyView } from "./hat-views.ts";

const iso = (ms: number) => new Date(ms).toISOString();

export function hatReview(games: StoredHatGame[], nickname: (participantId: string) => string): HatGameReview[] {
  return games.map((stored) => {
    const { game } = stored;
    const state = gameStateFromStored(stored, []);
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

export async function loadHatReview(rows: HatRows, sessionId: string, nickname: (id: string) => string): Promise<HatReview> {
  return { hatGames: hatReview(await rows.sessionGames(sessionId), nickname) };
}

export function hatTables(review: HatReview, code: string): ReviewTable[] {
  const draws: ReviewTable = {
    name: "hat_draws",
    columns: ["session_code", "game", "template", "model_id", "model_sha256", "participant_id", "nickname", "blank", "fill_text", "fill_tokens", "slips", "p", "seed", "dial_temperature", "dial_top_p", "dial_top_k", "hat_top", "hat_entropy_bits", "drawn_at"],
    rows: review.hatGames.flatMap((g) =>
      g.draws.map((d) => [
        code,
        g.id,
        g.templateText,
        g.model.id,
        g.model.sha256,
        d.participantId,
        d.nickname,
        d.blank + 1,
        d.text,
        d.tokens.map((t) => t.text).join(" | "),
        d.tokens.map((t) => `${t.slip}/${t.count}`).join(" "),
        d.p,
        d.seed,
        d.dial.temperature,
        d.dial.topP,
        d.dial.topK ?? "none",
        d.hat.top.map((t) => `${t.text.trim() || "(space)"}=${t.count}`).join(" "),
        d.hat.modelEntropyBits,
        d.drawnAt,
      ]),
    ),
  };
  const stories: ReviewTable = {
    name: "hat_stories",
    columns: ["session_code", "game", "template", "model_id", "participant_id", "nickname", "blanks_drawn", "story", "log2_prob", "perplexity"],
    rows: review.hatGames.flatMap((g) => g.stories.map((s) => [code, g.id, g.templateText, g.model.id, s.participantId, s.nickname, s.drawn, s.text, s.log2Prob, s.perplexity])),
  };
  return [draws, stories];
}
