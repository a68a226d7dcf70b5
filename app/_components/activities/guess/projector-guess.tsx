"use client";
// The projector during guess rounds, one screen per phase: the prompt while the class guesses (no
// numbers, so nobody herds), the class beside the model at the reveal, the text the class is
// writing after each pick, and the two sides of a comparison.
import type { GuessFinale, LeaderView, PodiumView, RoundView, ThreadView } from "@/contract/protocol/guess";
import { entropyMeaning, formatBits, formatJoint, formatPerplexity, formatProb, perplexityMeaning, plainText, showToken, surpriseMeaning } from "../../../_lib/format";
import { Countdown } from "../../session/countdown";
import type { ReactNode } from "react";
import { pagesOf } from "../../stage/pager";
import { Figure, StageBars, StagePanel, StageTokens } from "../../stage/stage-kit";
import type { ProjectorProps } from "../types";
import { band, pickLabel } from "./round-reveal";
import { lastWords, SeenCount } from "./training-lookup";

export function GuessProjector({ activity, live, people }: ProjectorProps<"guess">) {
  const { round, threads } = activity.view;
  if (!round) return <p className="text-stage-l">Get ready to guess the next token.</p>;
  if (round.status === "failed") return <p className="text-stage-l">The model could not answer this round. The host can start another.</p>;
  if (round.kind === "compare") return <CompareStage round={round} predicted={live?.predictions ?? 0} people={people} />;
  if (round.status === "preparing")
    return (
      <div className="flex flex-col gap-[3vh]">
        <p className="text-stage-m text-slate-300">The model is reading the prompt…</p>
        <StageTokens tokens={round.prefix} />
      </div>
    );
  if (round.status === "voting") return <VotingStage round={round} votes={live?.votes ?? round.voteCount} people={people} />;
  const thread = threads.at(-1);
  if (round.status === "picked" && thread) return <WrittenStage thread={thread} round={round} leaders={activity.view.leaders} />;
  return <RevealStage round={round} />;
}

function VotingStage({ round, votes, people }: { round: RoundView; votes: number; people: number }) {
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[3vh]">
      <p className="text-stage-m text-slate-300">Round {round.number} · what comes next?</p>
      <StageTokens tokens={round.prefix} after={<span className="ml-[0.6vw] text-slate-400">___</span>} />
      <div className="mt-auto grid grid-cols-2 gap-[3vw]">
        <Figure label="Guesses in" value={`${votes} of ${people}`} meaning="Type one word on your phone. The model's answer appears when the round closes." />
        {round.timer ? <Figure label="Time left" value={<Countdown endsAt={round.timer.endsAt} remainingMs={round.timer.remainingMs} />} /> : null}
      </div>
    </div>
  );
}

function RevealStage({ round }: { round: RoundView }) {
  const reveal = round.reveal;
  if (!reveal) return <p className="text-stage-l">Waiting for the host.</p>;
  const m = reveal.metrics;
  const d = reveal.distribution;
  const classBars = reveal.histogram.slice(0, 5);
  const others = m.voters - classBars.reduce((n, b) => n + b.count, 0);
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[2vh]">
      <StageTokens tokens={round.prefix} size="text-stage-m" after={<span className="ml-[0.6vw] text-slate-400">→ ?</span>} />
      <div className="grid min-h-0 grid-cols-[2fr_3fr] gap-[2vw]">
        <StagePanel title={`The class guessed (${m.voters} vote${m.voters === 1 ? "" : "s"})`} label="The class">
          {classBars.length === 0 ? (
            <p className="text-stage-s">Nobody voted this time.</p>
          ) : (
            <StageBars
              label="Class votes"
              color="bg-hat-400"
              bars={classBars.map((b) => ({ key: b.tokenId, label: showToken(b.text), share: b.share, value: `${b.count}` }))}
              noteHeading="votes"
            />
          )}
          {others > 0 ? <p className="text-stage-s text-slate-300">+ {others} other guess{others === 1 ? "" : "es"}</p> : null}
        </StagePanel>
        <StagePanel title={`The model's odds (${d.model})`} label="The model">
          <StageBars
            label="The model's most likely next tokens"
            color="bg-sky-400"
            bars={d.top.slice(0, 5).map((t) => ({
              key: t.id,
              label: showToken(t.text),
              share: t.p,
              value: formatProb(t.p),
              strong: t.id === round.pick?.token.id,
              note: t.text.trim() ? <SeenCount phrase={`${lastWords(round.prompt, 2)}${t.text}`} /> : "–",
            }))}
            noteHeading="seen in training"
          />
        </StagePanel>
      </div>
      <div className="mt-auto grid grid-cols-3 gap-[2vw]">
        <Figure label="How unsure is the model?" value={formatBits(d.entropyBits)} meaning={entropyMeaning(d.entropyBits)} />
        <Figure label="The class's surprise" value={formatBits(m.avgLossBits)} meaning={m.avgLossBits == null ? "Nobody voted." : surpriseMeaning(m.avgLossBits)} />
        <Figure
          label="Class and model agree"
          value={m.tvd == null ? "–" : `${Math.round((1 - m.tvd) * 100)}%`}
          meaning="100% would mean the class voted in the same shares as the model's odds"
        />
      </div>
    </div>
  );
}

/** The size the written text can take and still fit: long texts get smaller type. */
function textSize(chars: number): string {
  return chars < 90 ? "text-stage-l" : chars < 220 ? "text-stage-m" : "text-stage-s";
}

/** The text the class writes, token by token: fill and underline style both say how likely each was. */
export function WrittenText({ thread }: { thread: ThreadView }) {
  const texts = plainText(thread.appended.map((t) => t.text));
  const chars = thread.prompt.length + texts.join("").length;
  return (
    <p className={`${textSize(chars)} break-words leading-[1.6]`}>
      <span className="text-slate-300">{thread.prompt}</span>
      {thread.appended.map((t, i) => {
        const b = band(t.p);
        return (
          <span key={i} className={`${b.cls} rounded-[0.4vh]`}>
            {texts[i]}
            <sub className="ml-[0.1vw] align-baseline font-mono text-stage-s text-slate-100">{formatShortPercent(t.p)}</sub>
          </span>
        );
      })}
    </p>
  );
}

const formatShortPercent = (p: number) => (p >= 0.01 ? `${Math.round(p * 100)}%` : "<1%");

function TextFigures({ thread }: { thread: ThreadView }) {
  return (
    <div className="grid grid-cols-2 gap-[2vw]">
      <Figure
        label="Chance of the whole new text"
        value={thread.appended.length ? formatJoint(thread.log2Prob) : "–"}
        meaning="the chances of every new token multiplied together (the chain rule)"
      />
      <Figure label="Perplexity" value={formatPerplexity(thread.perplexity)} meaning={perplexityMeaning(thread.perplexity)} />
    </div>
  );
}

function Legend() {
  return (
    <p className="flex flex-wrap gap-x-[2vw] text-stage-s text-slate-200">
      {[0.9, 0.3, 0.05].map((p) => (
        <span key={p} className={`${band(p).cls} px-[0.4vw]`}>
          {band(p).name}
        </span>
      ))}
      <span>small number = the model&apos;s chance for that token</span>
    </p>
  );
}

function WrittenStage({ thread, round, leaders }: { thread: ThreadView; round: RoundView; leaders: LeaderView[] | null }) {
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[2.5vh]">
      <p className="text-stage-m text-slate-300">
        The text we are writing · next token <b className="font-mono text-hat-300">{round.pick ? showToken(round.pick.token.text) : ""}</b>
        {round.pick ? ` (${pickLabel(round.pick)}, ${formatProb(round.pick.token.p)})` : ""}
      </p>
      <WrittenText thread={thread} />
      <div className="mt-auto flex flex-col gap-[2vh]">
        <Legend />
        <TextFigures thread={thread} />
        {leaders?.length ? <LeaderLine leaders={leaders} /> : null}
      </div>
    </div>
  );
}

const COMPARE_QUESTION: Record<string, string> = {
  prompts: "Same model, two prompts. Which one is it surer about?",
  chat: "The same words, raw and wrapped in instruction markers.",
  models: "One prompt, two models.",
  temperature: "One prompt, two temperatures: the dial that flattens or sharpens the odds.",
};

function CompareStage({ round, predicted, people }: { round: RoundView; predicted: number; people: number }) {
  const compare = round.compare;
  if (!compare) return <p className="text-stage-l">The model is computing both sides…</p>;
  const { a, b, predictions } = compare;
  const revealed = a.distribution !== null && b.distribution !== null;
  const voted = predictions.a + predictions.b;
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[2vh]">
      <p className="text-stage-m">{COMPARE_QUESTION[compare.mode]}</p>
      <div className="grid min-h-0 grid-cols-2 gap-[2vw]">
        {(["a", "b"] as const).map((key) => {
          const side = compare[key];
          const surer = predictions.surer === key;
          return (
            <StagePanel key={key} label={`Side ${key.toUpperCase()}`} title={`${key.toUpperCase()}: ${side.label}`} tone={surer ? "border-emerald-400" : "border-slate-700"}>
              <StageTokens tokens={side.prefix} size="text-stage-s" />
              {side.distribution ? (
                <>
                  <Figure
                    label={surer ? "How unsure · ✓ the surer side" : "How unsure"}
                    value={formatBits(side.distribution.entropyBits)}
                    meaning={entropyMeaning(side.distribution.entropyBits)}
                    tone={surer ? "text-emerald-300" : "text-white"}
                  />
                  <StageBars
                    label={`Most likely next tokens for ${side.label}`}
                    color="bg-sky-400"
                    bars={side.distribution.top.slice(0, 4).map((t) => ({ key: t.id, label: showToken(t.text), share: t.p, value: formatProb(t.p) }))}
                  />
                </>
              ) : (
                <p className="text-stage-s text-slate-200">Is the model surer here? Predict on your phone: A or B.</p>
              )}
            </StagePanel>
          );
        })}
      </div>
      <p className="mt-auto text-stage-m">
        {revealed && predictions.surer
          ? `The model is surer about ${predictions.surer.toUpperCase()}. ${predictions[predictions.surer]} of ${voted} predicted it.`
          : `${Math.max(voted, predicted)} of ${people} have predicted. Numbers appear at the reveal.`}
      </p>
    </div>
  );
}

/** The leaderboard in one line: lowest average surprise = guesses most like the model. */
function LeaderLine({ leaders }: { leaders: LeaderView[] }) {
  return (
    <p className="text-stage-s">
      <b>Guessing most like the model:</b>{" "}
      {leaders.slice(0, 3).map((l) => `${l.place}. ${l.nickname} (${formatBits(l.meanSurpriseBits)})`).join(" · ")}
    </p>
  );
}

function Podium({ podium }: { podium: PodiumView }) {
  const medals = ["🥇", "🥈", "🥉"];
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[3vh]">
      <h2 className="text-stage-l font-bold">The podium</h2>
      <div className="grid grid-cols-2 gap-[3vw]">
        <section aria-label="Best predictors" className="flex flex-col gap-[1.5vh]">
          <p className="text-stage-m font-bold">Best predictors</p>
          {podium.best.map((l, i) => (
            <p key={l.place} className="text-stage-m">
              <span aria-hidden>{medals[i]} </span>
              <b>{l.nickname}</b> <span className="text-slate-200">{formatBits(l.meanSurpriseBits)} average surprise</span>
            </p>
          ))}
          <p className="text-stage-s text-slate-200">Lowest average surprise: they guessed most like the model.</p>
        </section>
        {podium.surprising ? (
          <section aria-label="Most surprising guess" className="flex flex-col gap-[1.5vh]">
            <p className="text-stage-m font-bold">Most surprising guess</p>
            <Figure label={podium.surprising.nickname} value={showToken(podium.surprising.guess)} meaning={`after “${podium.surprising.prompt}”: the model gave it ${formatProb(podium.surprising.p)}`} />
          </section>
        ) : null}
      </div>
    </div>
  );
}

/** The end of the session: every text written (two a page), then the podium. */
export function guessFinalePages(view: GuessFinale): ReactNode[] {
  const n = view.threads.length;
  const texts = pagesOf(view.threads, 2).map((threads, i) => (
    <div key={`text-${i}`} className="flex min-h-0 flex-1 flex-col gap-[3vh]">
      <h2 className="text-stage-l font-bold">
        What we wrote, token by token ({n} text{n === 1 ? "" : "s"})
      </h2>
      <Legend />
      {threads.map((t, j) => (
        <article key={j} className="flex flex-col gap-[1vh]">
          <WrittenText thread={t} />
          <p className="text-stage-s text-slate-200">
            Chance of the new text {t.appended.length ? formatJoint(t.log2Prob) : "–"} · perplexity {formatPerplexity(t.perplexity)}: {perplexityMeaning(t.perplexity)}
          </p>
        </article>
      ))}
    </div>
  ));
  return view.podium ? [...texts, <Podium key="podium" podium={view.podium} />] : texts;
}
