"use client";
// Guess and compare rounds in the facilitators' review: the texts written, and every round with the
// class beside the model and every vote.
import type { ReviewRound, SessionReview } from "@/contract/http/review";
import type { CompareSideView, RoundView } from "@/contract/protocol/guess";
import { formatBits, formatProb, showToken } from "../../../_lib/format";
import { RoundChart, SurpriseChart } from "../../review/charts";
import { CompareView, GuessReveal, ThreadText } from "./round-reveal";
import { TokenBoxes } from "./token-views";

/** The review keeps the stored round; the reveal components read the live view's shape. */
function asRoundView(r: ReviewRound): RoundView {
  const side = (s: NonNullable<ReviewRound["compare"]>["a"]): CompareSideView => ({
    label: s.label,
    prompt: s.prompt,
    chat: s.chat,
    model: s.model,
    temperature: s.temperature,
    prefix: [],
    distribution: s.distribution,
  });
  const c = r.compare;
  const ea = c?.a.distribution?.entropyBits;
  const eb = c?.b.distribution?.entropyBits;
  const predictions = { a: c?.predictions.filter((p) => p.side === "a").length ?? 0, b: c?.predictions.filter((p) => p.side === "b").length ?? 0, surer: ea !== undefined && eb !== undefined ? (ea <= eb ? ("a" as const) : ("b" as const)) : null };
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    status: r.status as RoundView["status"],
    prompt: r.prompt,
    prefix: r.prefix,
    guessNeedsSpace: false,
    timer: null,
    voteCount: r.votes.length,
    reveal: r.distribution && r.metrics ? { distribution: r.distribution, histogram: r.histogram, otherVotes: 0, metrics: r.metrics } : null,
    compare: c ? { mode: c.mode as NonNullable<RoundView["compare"]>["mode"], a: side(c.a), b: side(c.b), predictions } : null,
    pick: r.pick,
    error: null,
  };
}

const cell = "py-1 pr-3";

/** Every round in one table: what was asked, how sure the model was, how the class did. */
function RoundsSummary({ rounds }: { rounds: ReviewRound[] }) {
  return (
    <section className="space-y-3 rounded-2xl border-2 border-slate-700 p-5" aria-label="Rounds summary">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[48rem] text-left text-base">
          <caption className="mb-2 text-left text-2xl font-bold">Rounds</caption>
          <thead className="text-slate-400">
            <tr>
              <th className={cell}>#</th>
              <th className={cell}>Kind</th>
              <th className={cell}>Prompt</th>
              <th className={`${cell} text-right`}>Voters</th>
              <th className={`${cell} text-right`}>Model entropy</th>
              <th className={`${cell} text-right`}>Class surprise</th>
              <th className={`${cell} text-right`}>Agreement</th>
              <th className={cell}>Model&apos;s top</th>
              <th className={cell}>Next token</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-800">
            {rounds.map((r) => (
              <tr key={r.id}>
                <td className={cell}>{r.number}</td>
                <td className={cell}>{r.kind === "compare" ? `compare (${r.compare?.mode})` : "guess"}</td>
                <td className={`${cell} max-w-[20rem] break-words`}>{r.kind === "compare" && r.compare ? `A: ${r.compare.a.prompt} · B: ${r.compare.b.prompt}` : r.prompt}</td>
                <td className={`${cell} text-right tabular-nums`}>{r.metrics?.voters ?? (r.compare ? r.compare.predictions.length : 0)}</td>
                <td className={`${cell} text-right tabular-nums`}>
                  {r.distribution ? formatBits(r.distribution.entropyBits) : r.compare ? `${formatBits(r.compare.a.distribution?.entropyBits)} / ${formatBits(r.compare.b.distribution?.entropyBits)}` : "–"}
                </td>
                <td className={`${cell} text-right tabular-nums`}>{formatBits(r.metrics?.avgLossBits)}</td>
                <td className={`${cell} text-right tabular-nums`}>{r.metrics?.tvd == null ? "–" : `${Math.round((1 - r.metrics.tvd) * 100)}%`}</td>
                <td className={`${cell} font-mono`}>{r.distribution?.top[0] ? `${showToken(r.distribution.top[0].text)} ${formatProb(r.distribution.top[0].p)}` : "–"}</td>
                <td className={`${cell} font-mono`}>{r.pick ? `${showToken(r.pick.token.text)} (${r.pick.how.replace("_", " ")})` : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function GuessReviewView({ review }: { review: SessionReview }) {
  const students = review.participants.filter((p) => !p.kicked);
  return (
    <>
      {review.rounds.length ? <RoundsSummary rounds={review.rounds} /> : null}
      {review.rounds.some((r) => Object.keys(r.results).length > 0) ? (
        <section className="rounded-2xl border-2 border-slate-700 p-5" aria-label="Surprise per round">
          <h2 className="mb-2 text-2xl font-bold">Each student&apos;s surprise, round by round</h2>
          <SurpriseChart rounds={review.rounds} students={students} />
        </section>
      ) : null}
      {review.threads
        .filter((t) => t.appended.length)
        .map((t, i) => (
          <section key={i} className="rounded-2xl border-2 border-slate-700 p-5">
            <h2 className="mb-2 text-2xl font-bold">Text written together{review.threads.length > 1 ? ` (${i + 1})` : ""}</h2>
            <ThreadText thread={t} />
          </section>
        ))}
      {review.rounds.map((r) => (
        <RoundReview key={r.id} round={r} />
      ))}
    </>
  );
}

function RoundReview({ round }: { round: ReviewRound }) {
  const view = asRoundView(round);
  return (
    <section className="space-y-4 rounded-2xl border-2 border-slate-700 p-5" aria-label={`Round ${round.number}`}>
      <h2 className="text-2xl font-bold">
        Round {round.number} · {round.kind === "compare" ? `compare (${round.compare?.mode})` : "guess"} · {round.status}
      </h2>
      {round.kind === "guess" ? <TokenBoxes tokens={round.prefix} /> : null}
      <p className="text-base text-slate-400">
        Model <span className="font-mono">{round.model.id}</span> · temperature {round.params.temperature} · top {round.params.topK} kept{round.params.chat ? " · chat template" : ""} · prefix ids{" "}
        <span className="font-mono">[{round.prefixIds.slice(0, 24).join(", ")}{round.prefixIds.length > 24 ? ", …" : ""}]</span>
      </p>
      <RoundChart round={round} />
      {view.reveal ? <GuessReveal round={view} /> : null}
      {view.compare ? <CompareView round={view} /> : null}
      {round.votes.length ? (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left text-base">
            <caption className="mb-2 text-left text-lg font-semibold">Every vote ({round.votes.length})</caption>
            <thead className="text-slate-400">
              <tr>
                <th className="py-1 pr-3">Student</th>
                <th className="pr-3">Typed</th>
                <th className="pr-3">First token</th>
                <th className="pr-3 text-right">Model p</th>
                <th className="pr-3 text-right">Rank</th>
                <th className="pr-3 text-right">Surprise</th>
                <th className="pr-3">Time</th>
                <th>Counted</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-800">
              {round.votes.map((v, i) => (
                <tr key={i} className={v.counted ? "" : "text-slate-500"}>
                  <td className="py-1 pr-3">{v.nickname}</td>
                  <td className="pr-3">{v.guess}</td>
                  <td className="pr-3 font-mono">{showToken(v.tokenText)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatProb(v.p)}</td>
                  <td className="pr-3 text-right tabular-nums">#{v.rank}</td>
                  <td className="pr-3 text-right tabular-nums">{formatBits(v.surpriseBits)}</td>
                  <td className="pr-3 tabular-nums">{new Date(v.at).toLocaleTimeString()}</td>
                  <td>{v.counted ? "yes" : "changed later"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
