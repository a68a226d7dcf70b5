// Rows the hat store reads and writes, and the conversion between them and the rules' state.
import type { Dial, EntropyCompareView } from "../protocol/hat-protocol.ts";
import type { FillState, HatGameMeta, HatGameState, StoryState } from "./hat-state.ts";
import type { HatTemplate } from "./hat-templates.ts";

export interface HatGameRow {
  id: string;
  roomId: string;
  title: string;
  template: HatTemplate;
  segmentIds: number[][];
  modelId: string;
  modelSha256: string;
  dial: Dial;
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

export function gameRow(state: HatGameState, entropy: EntropyCompareView | null): HatGameRow {
  const { meta } = state;
  return {
    id: meta.id,
    roomId: meta.roomId,
    title: meta.template.title,
    template: meta.template,
    segmentIds: meta.segmentIds,
    modelId: meta.model.id,
    modelSha256: meta.model.sha256,
    dial: state.dial,
    openBlank: state.openBlank,
    status: state.status,
    entropy,
    startedAt: meta.startedAt,
    endedAt: state.endedAt,
  };
}

/** Rebuilds a game after a restart: draws in flight were never acknowledged, so they are simply gone. */
export function stateFromStored(stored: StoredHatGame, participantOrder: readonly string[]): HatGameState {
  const { game } = stored;
  const meta: HatGameMeta = {
    id: game.id,
    roomId: game.roomId,
    template: game.template,
    model: { id: game.modelId, sha256: game.modelSha256 },
    segmentIds: game.segmentIds,
    startedAt: game.startedAt,
  };
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
  const byBlank = [...stored.draws].sort((a, b) => a.fill.blank - b.fill.blank);
  for (const d of byBlank) {
    const s = story(d.participantId);
    if (s.fills.length === d.fill.blank) s.fills.push(d.fill);
  }
  return { seq: 1, meta, dial: game.dial, openBlank: game.openBlank, status: game.status, endedAt: game.endedAt, stories, order };
}
