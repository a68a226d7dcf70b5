// The hat game's rules: a pure state machine. The model, the store and the clock are the host's and
// the live side's business; here every change is decided and described as effects.
import type { ErrorCode } from "../../../contract/protocol/errors.ts";
import type { HatStart } from "../../../contract/protocol/hat.ts";
import type { ActivityRules, Applied, Effect, RuleContext, SessionEvent } from "../../session/activity.ts";
import { presentIds } from "../../session/session-state.ts";
import { DEFAULT_DIAL, sameDial } from "./hat-dial.ts";
import { seedFrom } from "../../../contract/numbers/hat/seeded-draw.ts";
import { blanksOf, nextBlank, readyToDraw, type HatCommand, type HatGameState, type HatJob, type HatOp, type HatState, type PendingDraw, type StoryState } from "./hat-state.ts";
import { builtInTemplate, parseTemplate, type HatTemplate } from "./hat-templates.ts";

type Result = Applied<HatState, HatOp, HatJob, HatCommand>;
type Fx = Effect<HatOp, HatJob, HatCommand>;

const fail = (code: ErrorCode): Result => ({ ok: false, code });
const unchanged = (state: HatState): Result => ({ ok: true, state, effects: [] });
const withGame = (game: HatGameState, effects: Fx[]): Result => ({ ok: true, state: { game }, effects });

const everyone: Fx = { type: "announce", audience: { to: "everyone" } };
const staff: Fx = { type: "announce", audience: { to: "staff" } };
const persistGame: Fx = { type: "persist", op: { kind: "game" } };
const toParticipant = (participantId: string): Fx => ({ type: "announce", audience: { to: "participant", participantId } });
const prepare = (participantIds: string[]): Fx[] => (participantIds.length > 0 ? [{ type: "run", job: { kind: "prepareHats", participantIds } }] : []);

const emptyStory = (participantId: string): StoryState => ({ participantId, fills: [], pending: null });
/** The draw of a pending blank; keyed, so a second tap while it runs waits for the same draw. */
const drawJob = (participantId: string, p: PendingDraw): Fx => ({
  type: "run",
  job: { kind: "draw", participantId, blank: p.blank, seed: p.seed, dial: p.dial },
  wait: true,
  key: `draw:${participantId}:${p.blank}`,
});

function templateOf(input: HatStart): { ok: true; template: HatTemplate } | { ok: false; code: ErrorCode } {
  if (input.templateId !== undefined) {
    const built = builtInTemplate(input.templateId);
    if (!built) return { ok: false, code: "template_not_found" };
    return { ok: true, template: { id: built.id, title: built.title, text: built.text, segments: built.segments, maxTokens: input.maxTokens ?? built.maxTokens } };
  }
  return parseTemplate(input.text ?? "", { ...(input.title ? { title: input.title } : {}), ...(input.maxTokens ? { maxTokens: input.maxTokens } : {}) });
}

/** A new game: every student in the room gets an empty story; the template is tokenized first. */
function start(_state: HatState, input: HatStart, id: string, ctx: RuleContext): Result {
  const parsed = templateOf(input);
  if (!parsed.ok) return fail(parsed.code);
  const ids = presentIds(ctx.session);
  const stories: Record<string, StoryState> = {};
  for (const pid of ids) stories[pid] = emptyStory(pid);
  const game: HatGameState = {
    meta: { id, sessionId: ctx.session.meta.id, template: parsed.template, model: { id: ctx.session.meta.model.id, sha256: ctx.session.meta.model.sha256 }, segmentIds: null, entropy: null, startedAt: ctx.now },
    dial: input.dial ?? DEFAULT_DIAL,
    openBlank: 0,
    status: "starting",
    error: null,
    endedAt: null,
    stories,
    order: ids,
  };
  return withGame(game, [{ type: "run", job: { kind: "setup", gameId: id }, wait: true }]);
}

function ready(game: HatGameState, story: StoryState | undefined): story is StoryState {
  return story !== undefined && readyToDraw(game, story);
}

function apply(state: HatState, command: HatCommand, ctx: RuleContext): Result {
  const game = state.game;
  if (!game) return fail("no_game");
  switch (command.type) {
    case "gameReady": {
      if (game.meta.id !== command.gameId || game.status !== "starting") return unchanged(state);
      const next: HatGameState = { ...game, status: "running", meta: { ...game.meta, segmentIds: command.segmentIds, entropy: command.entropy } };
      return withGame(next, [persistGame, ...prepare(next.order), everyone]);
    }
    case "gameFailed": {
      if (game.meta.id !== command.gameId || game.status !== "starting") return unchanged(state);
      return withGame({ ...game, status: "failed", error: command.code }, [everyone]);
    }
    case "setDial": {
      if (game.status !== "running") return fail("game_finished");
      if (sameDial(game.dial, command.dial)) return unchanged(state);
      return withGame({ ...game, dial: command.dial }, [persistGame, { type: "run", job: { kind: "reshapeHats" } }, everyone]);
    }
    case "openNextBlank": {
      if (game.status !== "running") return fail("game_finished");
      if (command.blank !== undefined && command.blank <= game.openBlank) return unchanged(state);
      if (game.openBlank + 1 >= blanksOf(game.meta)) return fail("last_blank");
      const next = { ...game, openBlank: game.openBlank + 1 };
      const waiting = next.order.filter((id) => {
        const story = next.stories[id];
        return ready(next, story) && nextBlank(next, story) === next.openBlank;
      });
      return withGame(next, [persistGame, ...prepare(waiting), everyone]);
    }
    case "requestDraw": {
      if (game.meta.id !== command.gameId) return fail("no_game");
      const story = game.stories[command.participantId];
      if (!story) return fail("not_joined");
      // A blank already drawn answers with the recorded fill, even after the game ends.
      if (command.blank < story.fills.length) return unchanged(state);
      if (game.status !== "running") return fail(game.status === "starting" ? "busy" : "game_finished");
      if (ctx.session.status === "ended") return fail("room_ended");
      if (ctx.session.paused) return fail("paused");
      if (command.blank > story.fills.length) return fail("blank_out_of_order");
      if (command.blank > game.openBlank) return fail("blank_not_open");
      // A repeated tap while the draw is in flight joins that draw: same seed, same slip.
      if (story.pending?.blank === command.blank) return withGame(game, [drawJob(story.participantId, story.pending)]);
      const pending = { blank: command.blank, seed: seedFrom(ctx.rng), dial: game.dial, since: ctx.now };
      const next = { ...game, stories: { ...game.stories, [story.participantId]: { ...story, pending } } };
      return withGame(next, [drawJob(story.participantId, pending), toParticipant(story.participantId)]);
    }
    case "drawCommitted": {
      const story = game.stories[command.participantId];
      if (!story || story.fills.length !== command.fill.blank) return unchanged(state);
      const updated: StoryState = { ...story, fills: [...story.fills, command.fill], pending: null };
      const next = { ...game, stories: { ...game.stories, [story.participantId]: updated } };
      return withGame(next, [...(readyToDraw(next, updated) ? prepare([story.participantId]) : []), toParticipant(story.participantId), staff]);
    }
    case "drawFailed": {
      const story = game.stories[command.participantId];
      if (story?.pending?.blank !== command.blank) return unchanged(state);
      return withGame({ ...game, stories: { ...game.stories, [story.participantId]: { ...story, pending: null } } }, [toParticipant(story.participantId)]);
    }
  }
}

/** Draws still in flight may finish and be recorded; nobody can start a new one. */
function finish(state: HatState, ctx: RuleContext): Result {
  const game = state.game;
  if (!game || game.status === "finished" || game.status === "failed") return unchanged(state);
  if (game.status === "starting") return withGame({ ...game, status: "failed", error: "no_game", endedAt: ctx.now }, [everyone]);
  return withGame({ ...game, status: "finished", endedAt: ctx.now }, [persistGame, everyone]);
}

function react(state: HatState, event: SessionEvent, ctx: RuleContext): Result | null {
  const game = state.game;
  if (!game) return null;
  switch (event.type) {
    case "joined": {
      // A late joiner takes part in a running game (idempotent).
      if ((game.status !== "running" && game.status !== "starting") || game.stories[event.participantId]) return null;
      const next = { ...game, stories: { ...game.stories, [event.participantId]: emptyStory(event.participantId) }, order: [...game.order, event.participantId] };
      return withGame(next, [...(game.status === "running" ? prepare([event.participantId]) : []), toParticipant(event.participantId), staff]);
    }
    case "ended":
      return finish(state, ctx);
    case "kicked":
    case "paused":
    case "resumed":
      return null;
  }
}

function resume(state: HatState): Result {
  const game = state.game;
  if (!game || game.status !== "running") return unchanged(state);
  return withGame(game, prepare(game.order.filter((id) => ready(game, game.stories[id]))));
}

export const hatRules: ActivityRules<"hat", HatState, HatCommand, HatOp, HatJob> = {
  kind: "hat",
  initial: () => ({ game: null }),
  start,
  apply,
  current: (state) => (state.game ? { id: state.game.meta.id, status: state.game.status === "running" || state.game.status === "starting" ? "running" : "finished" } : null),
  finish,
  react,
  resume,
  summarize(input) {
    const built = input.templateId ? builtInTemplate(input.templateId) : undefined;
    return `Hat: ${built?.title ?? input.title ?? (input.text ?? "").slice(0, 50)}`;
  },
};
