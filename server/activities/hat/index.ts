// The hat activity for the session host: its rules, its events, and its live side: the template's
// tokens, every student's hat (cached, reshaped when the dial moves), and batched draws that are
// committed before anyone hears of them.
import type { InferencePort } from "../../../contract/inference/port.ts";
import type { ErrorCode, Outcome } from "../../../contract/protocol/errors.ts";
import { HAT_EVENTS, hatInbound, type Dial, type DrawAck, type EntropyCompareView, type EntropySide, type HatStaffView } from "../../../contract/protocol/hat.ts";
import type { ActivityLive, ActivityModule, EventEnv, JobOutcome, LiveDeps } from "../../session/activity.ts";
import { inferenceErrorCode } from "../../inference/error-codes.ts";
import { HatDrawService, type DrawRequest } from "./draw-service.ts";
import { hatRules } from "./hat-rules.ts";
import { shapeHat, type HatSource } from "../../../contract/numbers/hat/hat-shape.ts";
import type { HatStore } from "./hat-store.ts";
import { nextBlank, storyPrefixIds, type FillState, type HatCommand, type HatGameState, type HatJob, type HatOp, type HatState } from "./hat-state.ts";
import { builtInTemplate, type HatTemplate } from "./hat-templates.ts";
import { fillView, hatFinale, hatMine, hatShared, hatView, type PreparedHat } from "./hat-views.ts";
import type { SessionState } from "../../session/session-state.ts";
import { RequestBatcher } from "./request-batcher.ts";
import { hatTables, loadHatReview } from "./hat-review.ts";

/** How long hat and draw requests wait to share a model call. */
const BATCH_WINDOW_MS = 10;

async function entropyCompare(template: HatTemplate, model: HatDrawService, firstIds: number[]): Promise<EntropyCompareView | null> {
  const built = template.id ? builtInTemplate(template.id) : undefined;
  const other = built?.pair ? builtInTemplate(built.pair.other) : undefined;
  if (!built?.pair || !other) return null;
  const [otherIds] = await model.segmentIds([other.segments[0]!]);
  const [mine, theirs] = await model.firstEntropies([firstIds, otherIds!]);
  const side = (t: HatTemplate, e: { bits: number; top: { text: string; p: number }[] }): EntropySide => ({ templateId: t.id!, title: t.title, prefix: t.segments[0]!, bits: e.bits, top: e.top });
  const a = side(built, mine!);
  const b = side(other, theirs!);
  return built.pair.role === "known" ? { known: a, madeUp: b } : { known: b, madeUp: a };
}

function createHatLive(deps: LiveDeps<HatStore>): ActivityLive<"hat", HatState, HatCommand, HatJob> {
  const { inference, logger, clock, store, fenced } = deps;
  // One draw service per game (the model is the session's); hats are keyed by participant.
  let model: { gameId: string; service: HatDrawService; hats: RequestBatcher<number[], HatSource>; draws: RequestBatcher<DrawRequest, FillState> } | null = null;
  const hats = new Map<string, PreparedHat & { source: HatSource }>();
  const preparing = new Set<string>();
  // The hat the projector shows for the open blank: the first one ready, kept after its owner draws.
  let shown: (PreparedHat & { source: HatSource; participantId: string; gameId: string }) | null = null;

  function serviceFor(game: HatGameState, inf: InferencePort) {
    if (model?.gameId !== game.meta.id) {
      const service = new HatDrawService(inf, { model: game.meta.model.id });
      model = {
        gameId: game.meta.id,
        service,
        hats: new RequestBatcher((prefixes) => service.sources(prefixes), BATCH_WINDOW_MS),
        draws: new RequestBatcher((requests) => service.drawFills(requests), BATCH_WINDOW_MS),
      };
      hats.clear();
    }
    return model;
  }

  /** Asks the model for these students' next hats; requests that arrive together share one call. */
  function prepareHats(state: () => HatState, participantIds: string[]): void {
    const game = state().game;
    if (!game || !inference || game.status !== "running") return;
    const m = serviceFor(game, inference);
    for (const participantId of participantIds) {
      const story = game.stories[participantId];
      if (!story || preparing.has(participantId)) continue;
      const blank = nextBlank(game, story);
      if (blank === null || blank > game.openBlank || hats.get(participantId)?.blank === blank) continue;
      preparing.add(participantId);
      m.hats
        .enqueue(storyPrefixIds(game.meta, story, blank))
        .then((source) => {
          const now = state().game;
          const current = now?.stories[participantId];
          if (!now || !current || now.meta.id !== game.meta.id || nextBlank(now, current) !== blank) return;
          const hat = { blank, source, shaped: shapeHat(source, now.dial), modelEntropyBits: source.entropyBits };
          hats.set(participantId, hat);
          deps.announce({ to: "participant", participantId });
          if (shown?.gameId !== game.meta.id || shown.blank !== blank) {
            shown = { ...hat, participantId, gameId: game.meta.id };
            deps.announce({ to: "staff" });
          }
        })
        .catch((error: unknown) => logger.warn({ err: error, participantId }, "hat could not be computed"))
        .finally(() => preparing.delete(participantId));
    }
  }

  async function setup(game: HatGameState, inf: InferencePort): Promise<JobOutcome<HatCommand>> {
    const m = serviceFor(game, inf);
    try {
      const segmentIds = await m.service.segmentIds(game.meta.template.segments);
      await m.service.vocab(segmentIds[0]!);
      const entropy = await entropyCompare(game.meta.template, m.service, segmentIds[0]!);
      return { commands: [{ type: "gameReady", gameId: game.meta.id, segmentIds, entropy }], ifUncommitted: { type: "gameFailed", gameId: game.meta.id, code: "internal" } };
    } catch (error) {
      const code = inferenceErrorCode(error);
      if (code === "inference_failed") logger.error({ err: error }, "hat template could not be tokenized");
      return { commands: [{ type: "gameFailed", gameId: game.meta.id, code }], code };
    }
  }

  async function draw(game: HatGameState, inf: InferencePort, job: Extract<HatJob, { kind: "draw" }>): Promise<JobOutcome<HatCommand>> {
    const { participantId, blank, seed, dial } = job;
    const m = serviceFor(game, inf);
    const story = game.stories[participantId]!;
    const prepared = hats.get(participantId);
    const request: DrawRequest = {
      prefixIds: storyPrefixIds(game.meta, story, blank),
      ...(prepared?.blank === blank ? { source: prepared.source } : {}),
      seed,
      dial,
      maxTokens: game.meta.template.maxTokens,
      blank,
      now: clock().getTime(),
    };
    try {
      const fill = await m.draws.enqueue(request);
      // Committed before anyone hears of it; a second draw of this blank gets the first one back.
      const result = await fenced(() => store.rows.recordDraw({ gameId: game.meta.id, participantId, fill }));
      hats.delete(participantId);
      return { commands: [{ type: "drawCommitted", participantId, fill: result.fill }] };
    } catch (error) {
      const code = inferenceErrorCode(error);
      if (code === "inference_failed") logger.error({ err: error, participantId, blank }, "hat draw failed");
      return { commands: [{ type: "drawFailed", participantId, blank }], code };
    }
  }

  const texts = () => model?.service.vocabularyTexts ?? [];

  function sampleHat(game: HatGameState, session: SessionState): HatStaffView["sampleHat"] {
    if (shown?.gameId !== game.meta.id || shown.blank !== game.openBlank) return null;
    return { nickname: session.participants.get(shown.participantId)?.nickname ?? "", hat: hatView(shown, texts()) };
  }

  return {
    async run(job, state) {
      const game = state().game;
      if (!game) return {};
      if (!inference) {
        const code: ErrorCode = "model_unavailable";
        if (job.kind === "setup") return { commands: [{ type: "gameFailed", gameId: job.gameId, code }], code };
        if (job.kind === "draw") return { commands: [{ type: "drawFailed", participantId: job.participantId, blank: job.blank }], code };
        return {};
      }
      switch (job.kind) {
        case "setup":
          return setup(game, inference);
        case "prepareHats":
          // After a restart the vocabulary is read again before the first hat.
          if (game.meta.segmentIds?.[0]) await serviceFor(game, inference).service.vocab(game.meta.segmentIds[0]).catch(() => undefined);
          prepareHats(state, job.participantIds);
          return {};
        case "reshapeHats":
          for (const hat of hats.values()) hat.shaped = shapeHat(hat.source, game.dial);
          if (shown) shown.shaped = shapeHat(shown.source, game.dial);
          return { announce: [{ to: "staff" }] };
        case "draw":
          return draw(game, inference, job);
      }
    },
    shared(state, role, session) {
      const view = hatShared(state.game!, role, session);
      if (view.staff) view.staff.sampleHat = sampleHat(state.game!, session);
      return view;
    },
    mine(state, participantId, session) {
      const game = state.game;
      if (!game) return null;
      const prepared = hats.get(participantId) ?? null;
      // A hat lost to a model hiccup is asked for again when the phone looks.
      if (!prepared && game.status === "running" && !preparing.has(participantId)) queueMicrotask(() => prepareHats(() => state, [participantId]));
      return hatMine(game, participantId, session.participants.get(participantId)?.nickname ?? "", prepared, texts());
    },
    finale: (state, session) => (state.game ? hatFinale(state.game, session) : null),
    counts(state) {
      const game = state.game;
      if (!game || game.status !== "running") return null;
      return { drawn: game.order.filter((id) => game.stories[id]?.fills[game.openBlank]).length };
    },
  };
}

type Env = EventEnv<HatState>;

export const hatActivity: ActivityModule<"hat", HatState, HatCommand, HatOp, HatJob> = {
  rules: hatRules,
  live: (deps) => createHatLive(deps as LiveDeps<HatStore>),
  review: {
    load: (store: HatStore, sessionId, nickname) => loadHatReview(store.rows, sessionId, nickname),
    tables: (review, code) => hatTables(review, code),
  },
  events: [
    {
      event: HAT_EVENTS.draw,
      roles: ["player"],
      schema: hatInbound[HAT_EVENTS.draw],
      command(payload: { gameId: string; blank: number }, env: Env): Outcome<HatCommand> {
        if (!env.participantId) return { ok: false, code: "not_joined" };
        return { ok: true, data: { type: "requestDraw", participantId: env.participantId, gameId: payload.gameId, blank: payload.blank } };
      },
      reply(after: Env, command, before: Env): DrawAck {
        const blank = command.type === "requestDraw" ? command.blank : 0;
        const fill = after.state.game!.stories[after.participantId!]!.fills[blank]!;
        return { fill: fillView(fill), recorded: before.state.game?.stories[before.participantId!]?.fills[blank] !== undefined };
      },
    },
    { event: HAT_EVENTS.setDial, roles: ["host"], schema: hatInbound[HAT_EVENTS.setDial], command: (dial: Dial) => ({ ok: true, data: { type: "setDial", dial } }) },
    { event: HAT_EVENTS.openBlank, roles: ["host"], schema: hatInbound[HAT_EVENTS.openBlank], command: (p?: { blank?: number }) => ({ ok: true, data: { type: "openNextBlank", blank: p?.blank } }) },
  ],
};

