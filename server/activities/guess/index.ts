// The guess activity for the session host: its rules, its events, and its live side (model calls
// for rounds and samples, the guess tokenizer, each round's full distribution for scoring votes).
import type { Distribution, InferencePort } from "../../../contract/inference/port.ts";
import type { ErrorCode, Outcome } from "../../../contract/protocol/errors.ts";
import { GUESS_EVENTS, guessInbound, type VoteAck } from "../../../contract/protocol/guess.ts";
import type { ActivityLive, ActivityModule, EventEnv, JobOutcome } from "../../session/activity.ts";
import { inferenceErrorCode } from "../../inference/error-codes.ts";
import type { Logger } from "../../logger.ts";
import { cleanGuess } from "./guess-rule.ts";
import { guessTables, loadGuessReview } from "./guess-review.ts";
import type { GuessStore } from "./guess-store.ts";
import { createGuessMapper, type GuessMapper } from "./guess-mapper.ts";
import { guessRules } from "./guess-rules.ts";
import { currentRound, type GuessCommand, type GuessJob, type GuessOp, type GuessState, type ModelRequest, type PreparedDistribution, type RoundState } from "./guess-state.ts";
import { guessCounts, guessFinale, guessMine, guessShared } from "./guess-views.ts";
import { createRoundProbabilities, type RoundProbabilities } from "./round-probabilities.ts";

export interface GuessLive extends ActivityLive<"guess", GuessState, GuessCommand, GuessJob> {
  /** Maps a guess to tokens and looks up the first token's p and rank in the open round. */
  score(round: RoundState, guess: string, exact: boolean): Promise<Outcome<Omit<Extract<GuessCommand, { type: "vote" }>, "type" | "participantId">>>;
}

const prefixOf = (request: ModelRequest) => (request.prefixIds.length > 0 ? { ids: request.prefixIds } : (request.promptText ?? ""));

function prepared(d: Distribution): PreparedDistribution {
  return {
    prefix: d.prefix.map((t) => ({ id: t.id, text: t.text, special: t.special })),
    distribution: { model: d.model, top: d.top, bottom: d.bottom, entropyBits: d.entropyBits, restMass: d.restMass, vocabSize: d.vocabSize },
  };
}

function createGuessLive(inference: InferencePort | null, logger: Logger): GuessLive {
  const mapper: GuessMapper | null = inference ? createGuessMapper(inference) : null;
  const probabilities: RoundProbabilities | null = inference ? createRoundProbabilities(inference) : null;

  async function run(job: GuessJob): Promise<JobOutcome<GuessCommand>> {
    const failed = (code: ErrorCode) => {
      const command: GuessCommand = job.kind === "sample" ? { type: "sampleFailed", roundId: job.roundId, code } : { type: "roundFailed", roundId: job.roundId, code };
      return { commands: [command], ifUncommitted: command, code } satisfies JobOutcome<GuessCommand>;
    };
    if (!inference || !probabilities) return failed("model_unavailable");
    // Should the answer's write fail, the round fails too, instead of "reading the prompt" forever.
    const { ifUncommitted } = failed("internal");
    try {
      if (job.kind === "sample") {
        const r = job.request;
        const s = await inference.sample(prefixOf(r), { model: r.model, temperature: job.temperature, seed: job.seed, chat: r.chat });
        // The chain rule uses the model's own probability (temperature 1), not the reshaped hat's.
        const odds = await probabilities.odds(job.roundId, r, s.token.id);
        return { commands: [{ type: "tokenSampled", roundId: job.roundId, token: { id: s.token.id, text: s.token.text, p: odds.p }, seed: job.seed, temperature: job.temperature }], ifUncommitted };
      }
      const single = job.requests.length === 1;
      const results = await Promise.all(
        job.requests.map((r) =>
          inference.distribution(prefixOf(r), { model: r.model, chat: r.chat, topK: r.topK, bottomK: r.bottomK, temperature: r.temperature, includeProbs: single }),
        ),
      );
      if (single && results[0]?.probs) probabilities.remember(job.roundId, results[0].probs);
      return { commands: [{ type: "roundPrepared", roundId: job.roundId, results: results.map(prepared) }], ifUncommitted };
    } catch (error) {
      const code = inferenceErrorCode(error);
      if (code === "inference_failed") logger.error({ err: error, roundId: job.roundId }, "model call failed");
      return failed(code);
    }
  }

  return {
    run: (job) => run(job),
    shared: guessShared,
    mine: (state, participantId, session) => guessMine(state, participantId, session),
    finale: (state, session) => guessFinale(state, session),
    counts: guessCounts,
    async score(round, guess, exact) {
      if (!mapper || !probabilities) return { ok: false, code: "model_unavailable" };
      try {
        const pieces = await mapper.map({ roundId: round.id, prompt: round.prompt, model: round.request.model }, guess, exact);
        const first = pieces.tokens[0];
        if (!first) return { ok: false, code: "guess_empty" };
        const odds = await probabilities.odds(round.id, round.request, first.id);
        return { ok: true, data: { pieces, roundId: round.id, token: { id: first.id, text: first.text, ...odds } } };
      } catch (error) {
        const code = inferenceErrorCode(error);
        if (code === "inference_failed") logger.error({ err: error }, "guess tokenization failed");
        return { ok: false, code };
      }
    },
  };
}

type Env = EventEnv<GuessState>;

/** The open guess round a typed guess is for, or why there is none. */
async function scored(env: Env, guess: string, exact: boolean | undefined) {
  const round = currentRound(env.state);
  if (!round || round.kind !== "guess" || env.session.current?.id !== round.id) return { ok: false as const, code: "no_round" as const };
  if (round.status !== "voting") return { ok: false as const, code: round.status === "preparing" ? ("not_voting" as const) : ("voting_closed" as const) };
  const cleaned = cleanGuess(guess);
  if (!cleaned.ok) return cleaned;
  return (env.live as GuessLive).score(round, cleaned.guess, exact ?? false);
}

export const guessActivity: ActivityModule<"guess", GuessState, GuessCommand, GuessOp, GuessJob> = {
  rules: guessRules,
  live: (deps) => createGuessLive(deps.inference, deps.logger),
  review: {
    load: (store: GuessStore, sessionId, nickname) => loadGuessReview(store.rows, sessionId, nickname),
    tables: (review, code) => guessTables(review, code),
  },
  events: [
    {
      event: GUESS_EVENTS.preview,
      roles: ["player"],
      schema: guessInbound[GUESS_EVENTS.preview],
      // The preview shows tokens only: a model probability here would let phones probe the answer.
      async answer(payload: { guess: string; exact?: boolean }, env: Env) {
        const result = await scored(env, payload.guess, payload.exact);
        return result.ok ? { ok: true, data: result.data.pieces } : result;
      },
    },
    {
      event: GUESS_EVENTS.vote,
      roles: ["player"],
      schema: guessInbound[GUESS_EVENTS.vote],
      async command(payload: { guess: string; exact?: boolean }, env: Env): Promise<Outcome<GuessCommand>> {
        if (!env.participantId) return { ok: false, code: "not_joined" };
        const result = await scored(env, payload.guess, payload.exact);
        return result.ok ? { ok: true, data: { type: "vote", participantId: env.participantId, ...result.data } } : result;
      },
      reply(after: Env, command, before: Env): VoteAck {
        const id = after.participantId!;
        return { vote: guessMine(after.state, id, after.session).vote!, changed: guessMine(before.state, id, before.session).vote !== null && command.type === "vote" };
      },
    },
    {
      event: GUESS_EVENTS.predict,
      roles: ["player"],
      schema: guessInbound[GUESS_EVENTS.predict],
      command(payload: { side: "a" | "b" }, env: Env): Outcome<GuessCommand> {
        const round = currentRound(env.state);
        if (!env.participantId) return { ok: false, code: "not_joined" };
        if (!round) return { ok: false, code: "no_round" };
        return { ok: true, data: { type: "predict", participantId: env.participantId, roundId: round.id, side: payload.side } };
      },
      reply: (_env: Env, command) => ({ prediction: command.type === "predict" ? command.side : "a" }),
    },
    { event: GUESS_EVENTS.close, roles: ["host"], schema: guessInbound[GUESS_EVENTS.close], command: () => ({ ok: true, data: { type: "close" } }) },
    {
      event: GUESS_EVENTS.pick,
      roles: ["host"],
      schema: guessInbound[GUESS_EVENTS.pick],
      command: (payload: { how: "favourite" | "model_top" | "sample"; temperature?: number }) => ({ ok: true, data: { type: "pick", ...payload } }),
    },
  ],
};
