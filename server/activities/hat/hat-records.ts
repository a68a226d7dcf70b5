// Rows the hat store reads and writes, the zod schemas its JSON columns are parsed with on read,
// and the conversion between rows and the rules' state.
import { z } from "zod";
import { dialSchema, type EntropyCompareView } from "../../../contract/protocol/hat.ts";
import type { FillState, HatGameState, StoryState } from "./hat-state.ts";
import type { HatTemplate } from "./hat-templates.ts";

export const templateSchema = z.object({ id: z.string().nullable(), title: z.string(), text: z.string(), segments: z.array(z.string()), maxTokens: z.number().int() });
export const segmentIdsSchema = z.array(z.array(z.number().int()));
const entropySide = z.object({ templateId: z.string(), title: z.string(), prefix: z.string(), bits: z.number(), top: z.array(z.object({ text: z.string(), p: z.number() })) });
export const entropySchema = z.object({ known: entropySide, madeUp: entropySide }).nullable();
export const drawnTokensSchema = z.array(z.object({ id: z.number().int(), text: z.string(), p: z.number(), count: z.number(), slip: z.number() }));
export const hatSummarySchema = z.object({
  top: z.array(z.object({ id: z.number().int(), text: z.string(), count: z.number() })),
  otherCount: z.number(),
  cutMass: z.number(),
  modelEntropyBits: z.number(),
});
export { dialSchema };

export interface HatGameRow {
  id: string;
  sessionId: string;
  title: string;
  template: HatTemplate;
  segmentIds: number[][];
  modelId: string;
  modelSha256: string;
  dial: z.infer<typeof dialSchema>;
  openBlank: number;
  status: "running" | "finished";
  entropy: EntropyCompareView | null;
  startedAt: number;
  endedAt: number | null;
}

export interface HatDrawRow {
  gameId: string;
  participantId: string;
  fill: FillState;
}

export interface StoredHatGame {
  game: HatGameRow;
  /** In the order they were recorded. */
  draws: HatDrawRow[];
}

/** Only games that got past tokenizing are stored; `segmentIds` is set by then. */
export function gameRow(game: HatGameState): HatGameRow {
  const { meta } = game;
  return {
    id: meta.id,
    sessionId: meta.sessionId,
    title: meta.template.title,
    template: meta.template,
    segmentIds: meta.segmentIds ?? [],
    modelId: meta.model.id,
    modelSha256: meta.model.sha256,
    dial: game.dial,
    openBlank: game.openBlank,
    status: game.status === "finished" ? "finished" : "running",
    entropy: meta.entropy,
    startedAt: meta.startedAt,
    endedAt: game.endedAt,
  };
}

/** Rebuilds a game after a restart: draws in flight were never acknowledged, so they are simply gone. */
export function gameStateFromStored(stored: StoredHatGame, participantOrder: readonly string[]): HatGameState {
  const { game } = stored;
  const stories: Record<string, StoryState> = {};
  const order: string[] = [];
  const story = (id: string): StoryState => {
    let s = stories[id];
    if (!s) {
      s = { participantId: id, fills: [], pending: null };
      stories[id] = s;
      order.push(id);
    }
    return s;
  };
  for (const id of participantOrder) story(id);
  for (const d of [...stored.draws].sort((a, b) => a.fill.blank - b.fill.blank)) {
    const s = story(d.participantId);
    if (s.fills.length === d.fill.blank) s.fills.push(d.fill);
  }
  return {
    meta: { id: game.id, sessionId: game.sessionId, template: game.template, model: { id: game.modelId, sha256: game.modelSha256 }, segmentIds: game.segmentIds, entropy: game.entropy, startedAt: game.startedAt },
    dial: game.dial,
    openBlank: game.openBlank,
    status: game.status,
    error: null,
    endedAt: game.endedAt,
    stories,
    order,
  };
}
