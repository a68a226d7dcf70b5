// The hat game's rules: a pure state machine. Sockets, the database, the model and the clock are
// the shell's business (hat-service.ts); here every change is decided and described as effects.
import type { Dial } from "../protocol/hat-protocol.ts";
import { sameDial } from "./hat-dial.ts";
import { seedFrom } from "./seeded-draw.ts";
import {
  blanksOf,
  nextBlank,
  type HatApplyResult,
  type HatCommand,
  type HatEffect,
  type HatGameMeta,
  type HatGameState,
  type HatRuleContext,
  type StoryState,
} from "./hat-state.ts";

const everyone: HatEffect = { type: "snapshot", audience: { to: "everyone" } };
const staff: HatEffect = { type: "snapshot", audience: { to: "staff" } };
const toParticipant = (participantId: string): HatEffect => ({ type: "snapshot", audience: { to: "participant", participantId } });

const done = (state: HatGameState, effects: HatEffect[]): HatApplyResult => ({ ok: true, state: { ...state, seq: state.seq + 1 }, effects });
const unchanged = (state: HatGameState): HatApplyResult => ({ ok: true, state, effects: [] });

const emptyStory = (participantId: string): StoryState => ({ participantId, fills: [], pending: null });

/** A new game: every current participant gets an empty story, and their first hats are computed. */
export function newHatGame(meta: HatGameMeta, participantIds: readonly string[], dial: Dial): { state: HatGameState; effects: HatEffect[] } {
  const stories: Record<string, StoryState> = {};
  for (const id of participantIds) stories[id] = emptyStory(id);
  const state: HatGameState = { seq: 1, meta, dial, openBlank: 0, status: "running", endedAt: null, stories, order: [...participantIds] };
  const effects: HatEffect[] = [{ type: "persistGame" }, everyone];
  if (participantIds.length > 0) effects.splice(1, 0, { type: "prepareHats", participantIds: [...participantIds] });
  return { state, effects };
}

/** Whether a story waits at an open blank with no draw in flight: its hat is worth computing now. */
function readyToDraw(state: HatGameState, story: StoryState): boolean {
  const blank = nextBlank(state, story);
  return blank !== null && blank <= state.openBlank && story.pending === null;
}

export function applyHat(state: HatGameState, command: HatCommand, ctx: HatRuleContext): HatApplyResult {
  switch (command.type) {
    case "addStory": {
      if (state.stories[command.participantId]) return unchanged(state);
      const story = emptyStory(command.participantId);
      const next = { ...state, stories: { ...state.stories, [story.participantId]: story }, order: [...state.order, story.participantId] };
      const effects: HatEffect[] = [toParticipant(story.participantId), staff];
      if (state.status === "running") effects.unshift({ type: "prepareHats", participantIds: [story.participantId] });
      return done(next, effects);
    }
    case "setDial": {
      if (state.status === "finished") return { ok: false, code: "game_finished" };
      if (sameDial(state.dial, command.dial)) return unchanged(state);
      return done({ ...state, dial: command.dial }, [{ type: "persistGame" }, { type: "reshapeHats" }, everyone]);
    }
    case "openNextBlank": {
      if (state.status === "finished") return { ok: false, code: "game_finished" };
      if (state.openBlank + 1 >= blanksOf(state.meta)) return { ok: false, code: "last_blank" };
      const next = { ...state, openBlank: state.openBlank + 1 };
      const waiting = next.order.filter((id) => {
        const story = next.stories[id];
        return story !== undefined && readyToDraw(next, story) && nextBlank(next, story) === next.openBlank;
      });
      const effects: HatEffect[] = [{ type: "persistGame" }, everyone];
      if (waiting.length > 0) effects.splice(1, 0, { type: "prepareHats", participantIds: waiting });
      return done(next, effects);
    }
    case "requestDraw": {
      const story = state.stories[command.participantId];
      if (!story) return { ok: false, code: "not_joined" };
      // A blank already drawn answers with the recorded fill, even after the game ends.
      if (command.blank < story.fills.length) return unchanged(state);
      if (state.status === "finished") return { ok: false, code: "game_finished" };
      if (command.blank > story.fills.length) return { ok: false, code: "blank_out_of_order" };
      if (command.blank > state.openBlank) return { ok: false, code: "blank_not_open" };
      // A repeated tap while the draw is in flight joins that draw: same seed, same slip.
      if (story.pending?.blank === command.blank) return unchanged(state);
      const pending = { blank: command.blank, seed: seedFrom(ctx.rng), dial: state.dial, since: ctx.now };
      const next = { ...state, stories: { ...state.stories, [story.participantId]: { ...story, pending } } };
      return done(next, [{ type: "draw", participantId: story.participantId, blank: command.blank, seed: pending.seed, dial: pending.dial }, toParticipant(story.participantId)]);
    }
    case "drawCommitted": {
      const story = state.stories[command.participantId];
      if (!story || story.fills.length !== command.fill.blank) return unchanged(state);
      const updated: StoryState = { ...story, fills: [...story.fills, command.fill], pending: null };
      const next = { ...state, stories: { ...state.stories, [story.participantId]: updated } };
      const effects: HatEffect[] = [toParticipant(story.participantId), staff];
      if (readyToDraw(next, updated)) effects.unshift({ type: "prepareHats", participantIds: [story.participantId] });
      return done(next, effects);
    }
    case "drawFailed": {
      const story = state.stories[command.participantId];
      if (story?.pending?.blank !== command.blank) return unchanged(state);
      const next = { ...state, stories: { ...state.stories, [story.participantId]: { ...story, pending: null } } };
      return done(next, [toParticipant(story.participantId)]);
    }
    case "finish": {
      if (state.status === "finished") return unchanged(state);
      // Draws still in flight may finish and be recorded; nobody can start a new one.
      return done({ ...state, status: "finished", endedAt: ctx.now }, [{ type: "persistGame" }, everyone]);
    }
  }
}
