"use client";
// The class-vs-model reveal, the compare view and the written text on the host console (the
// projector's versions are in projector-guess.tsx and share the bands and labels defined here).
import { useId } from "react";
import type { HistogramBar, PickView, RoundView, ThreadView } from "@/contract/protocol/guess";
import { entropyMeaning, formatBits, formatJoint, formatPerplexity, formatProb, percentLabel, perplexityMeaning, showToken, surpriseMeaning } from "../../../_lib/format";
import { DistributionSummary, ProbBars, TokenBoxes } from "./token-views";
import { lastWords, SeenCount } from "./training-lookup";

function ClassBars({ bars, otherVotes, big }: { bars: HistogramBar[]; otherVotes: number; big: boolean }) {
  if (bars.length === 0) return <p className={big ? "text-2xl" : "text-lg"}>Nobody voted.</p>;
  return (
    <>
      <ol aria-label="Class votes" className={big ? "space-y-1.5" : "space-y-1"}>
        {bars.map((b) => (
          <li key={b.tokenId} className={`grid items-center gap-3 ${big ? "grid-cols-[11rem_1fr_7rem] text-2xl" : "grid-cols-[7rem_1fr_5rem] text-base"}`}>
            <span className="truncate font-mono">{showToken(b.text)}</span>
            <span className={`${big ? "h-7" : "h-4"} rounded-sm bg-slate-800`}>
              <span className="block h-full rounded-sm bg-hat-400" style={{ width: `${Math.max(1, b.share * 100)}%` }} />
            </span>
            <span className="text-right tabular-nums">
              {b.count} <span className="text-slate-400">({Math.round(b.share * 100)}%)</span>
            </span>
          </li>
        ))}
      </ol>
      {otherVotes > 0 ? <p className="mt-1 text-slate-400">+ {otherVotes} votes for other tokens</p> : null}
    </>
  );
}

export function GuessReveal({ round, big = false, bars = 10 }: { round: RoundView; big?: boolean; bars?: number }) {
  const id = useId();
  const reveal = round.reveal;
  if (!reveal) return null;
  const m = reveal.metrics;
  const heading = big ? "text-3xl font-bold" : "text-xl font-bold";
  return (
    <div className="grid gap-6">
      <div className="grid grid-cols-2 gap-8">
        <section aria-labelledby={`${id}-class`}>
          <h2 id={`${id}-class`} className={heading}>
            The class ({m.voters} vote{m.voters === 1 ? "" : "s"})
          </h2>
          <ClassBars bars={reveal.histogram.slice(0, bars)} otherVotes={reveal.otherVotes + reveal.histogram.slice(bars).reduce((n, b) => n + b.count, 0)} big={big} />
        </section>
        <section aria-labelledby={`${id}-model`}>
          <h2 id={`${id}-model`} className={heading}>
            The model ({reveal.distribution.model})
          </h2>
          <ProbBars
            tokens={reveal.distribution.top.slice(0, bars)}
            highlight={round.pick?.token.id ?? null}
            big={big}
            label="Model's most likely next tokens"
            annotate={(t) => (t.text.trim() ? <SeenCount phrase={`${lastWords(round.prompt, 2)}${t.text}`} /> : null)}
          />
          <DistributionSummary distribution={reveal.distribution} big={big} />
        </section>
      </div>
      <dl className={`grid grid-cols-3 gap-4 ${big ? "text-2xl" : "text-base"}`}>
        <Metric label="Class average surprise" value={formatBits(m.avgLossBits)} meaning={m.avgLossBits == null ? undefined : surpriseMeaning(m.avgLossBits)} />
        <Metric
          label="Class and model agree"
          value={m.tvd == null ? "–" : `${Math.round((1 - m.tvd) * 100)}%`}
          meaning="100% = the class voted in the same shares as the model's odds (1 − total variation distance)"
        />
        <Metric
          label="Class favourite, as the model ranks it"
          value={m.favourite ? `${showToken(m.favourite.text)}: #${m.favourite.modelRank}, ${formatProb(m.favourite.modelP)}` : "–"}
        />
      </dl>
      {round.pick ? (
        <p className={big ? "text-3xl" : "text-lg"}>
          Next token: <b className="font-mono text-hat-300">{showToken(round.pick.token.text)}</b>{" "}
          <span className="text-slate-300">
            ({pickLabel(round.pick)}; model probability {formatProb(round.pick.token.p)})
          </span>
        </p>
      ) : null}
    </div>
  );
}

/** How the next token was chosen, in words. */
export function pickLabel(pick: PickView): string {
  if (pick.how === "favourite") return "the class favourite";
  if (pick.how === "model_top") return "the model's top token";
  return `drawn from the model at temperature ${pick.temperature}, seed ${pick.seed}`;
}

function Metric({ label, value, meaning }: { label: string; value: string; meaning?: string }) {
  return (
    <div className="rounded-xl border-2 border-slate-700 p-3">
      <dt className="text-slate-400">{label}</dt>
      <dd className="font-mono font-bold">{value}</dd>
      {meaning ? <dd className="text-sm text-slate-300">{meaning}</dd> : null}
    </div>
  );
}

export function CompareView({ round, big = false, bars = 10 }: { round: RoundView; big?: boolean; bars?: number }) {
  const compare = round.compare;
  if (!compare) return null;
  const sides = [compare.a, compare.b];
  return (
    <div className="grid grid-cols-2 gap-8">
      {sides.map((side, i) => (
        <section key={i} aria-label={side.label}>
          <h2 className={big ? "text-3xl font-bold" : "text-xl font-bold"}>
            {i === 0 ? "A" : "B"}: {side.label}
          </h2>
          <div className="my-2 max-h-48 overflow-hidden">
            <TokenBoxes tokens={side.prefix} />
          </div>
          {side.distribution ? (
            <>
              <p className={`${big ? "text-3xl" : "text-lg"} my-2`}>
                Entropy <b className="tabular-nums">{formatBits(side.distribution.entropyBits)}</b>
                <span className="block text-base text-slate-300">{entropyMeaning(side.distribution.entropyBits)}</span>
              </p>
              <ProbBars tokens={side.distribution.top.slice(0, bars)} big={big} label={`Most likely next tokens for ${side.label}`} />
              <p className={`${big ? "text-xl" : "text-base"} mt-1 text-slate-400`}>All other tokens: {formatProb(side.distribution.restMass)}</p>
            </>
          ) : (
            <p className={big ? "text-3xl" : "text-lg"}>The model&apos;s numbers appear at the reveal.</p>
          )}
        </section>
      ))}
    </div>
  );
}

/** Probability bands: each has a fill and a line style, so color is never the only cue. */
export function band(p: number): { cls: string; name: string } {
  if (p >= 0.5) return { cls: "bg-emerald-800/70 border-b-4 border-solid border-emerald-300", name: "likely (≥ 50%)" };
  if (p >= 0.1) return { cls: "bg-amber-800/60 border-b-4 border-dashed border-amber-300", name: "unsure (10–50%)" };
  return { cls: "bg-rose-900/70 border-b-4 border-dotted border-rose-300", name: "a guess (< 10%)" };
}

export function ThreadText({ thread, big = false }: { thread: ThreadView; big?: boolean }) {
  return (
    <section aria-label="The text we wrote" className="space-y-3">
      <p className={`${big ? "text-4xl leading-[1.7]" : "text-xl leading-[1.8]"} break-words`}>
        <span className="text-slate-300">{thread.prompt}</span>
        {thread.appended.map((t, i) => {
          const b = band(t.p);
          return (
            <span key={i} className={`${b.cls} rounded-sm`} title={`${formatProb(t.p)} · ${b.name}`}>
              {t.text}
              <sub className="ml-0.5 font-mono text-[0.45em] text-slate-200">{percentLabel(t.p)}</sub>
            </span>
          );
        })}
      </p>
      <p className={`${big ? "text-2xl" : "text-base"} flex flex-wrap gap-x-6`}>
        <span>
          Joint probability (chain rule): <b className="font-mono">{thread.appended.length ? formatJoint(thread.log2Prob) : "–"}</b>
        </span>
        <span>
          Perplexity: <b className="font-mono">{formatPerplexity(thread.perplexity)}</b> ({perplexityMeaning(thread.perplexity)})
        </span>
      </p>
      <p className={`${big ? "text-xl" : "text-sm"} flex flex-wrap gap-4 text-slate-300`}>
        {[0.9, 0.3, 0.05].map((p) => (
          <span key={p} className={`${band(p).cls} px-1`}>
            {band(p).name}
          </span>
        ))}
        <span>small number = model probability in %</span>
      </p>
    </section>
  );
}
