"use client";
// Facilitator review of one session: every round's class-vs-model comparison, every vote, exports.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { CompareSideView, RoundView } from "@/server/protocol/room-protocol";
import type { ReviewRound, SessionReview } from "@/server/rooms/session-export";
import { HatGameReviewView } from "../hat/hat-review";
import { api } from "../../_lib/api-client";
import { formatBits, formatProb, showToken } from "../../_lib/format";
import { ErrorNote } from "../form-bits";
import { CompareView, GuessReveal, ThreadText } from "../room/round-reveal";
import { TokenBoxes } from "../room/token-views";

const linkCls = "inline-flex h-12 items-center rounded-xl border-2 border-slate-500 px-4 text-lg font-semibold hover:border-hat-400";

/** The review keeps the stored round; the reveal components read the live view's shape. */
function asRoundView(r: ReviewRound): RoundView {
  const side = (s: NonNullable<ReviewRound["compare"]>["a"]): CompareSideView => ({
    label: s.label,
    prompt: s.prompt,
    chat: s.chat,
    model: s.request.model,
    prefix: s.prefix,
    distribution: s.distribution!,
  });
  const compareReady = r.compare && r.compare.a.distribution && r.compare.b.distribution;
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
    compare: compareReady ? { mode: r.compare!.mode, a: side(r.compare!.a), b: side(r.compare!.b) } : null,
    pick: r.pick,
    error: null,
  };
}

export function SessionReviewView({ code }: { code: string }) {
  const [review, setReview] = useState<SessionReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api<SessionReview>("GET", `/api/rooms/${code}/review`).then((r) => (r.ok ? setReview(r.data) : setError(r.message)));
  }, [code]);

  if (error)
    return (
      <main className="mx-auto max-w-xl space-y-4 p-8 text-xl">
        <ErrorNote message={error} />
        <Link href="/signin" className="text-hat-300 underline">
          Sign in
        </Link>
      </main>
    );
  if (!review) return <main className="p-8 text-xl">Loading…</main>;

  return (
    <main className="mx-auto w-full max-w-6xl space-y-8 px-5 py-8">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-extrabold">{review.room.title}</h1>
          <p className="text-lg text-slate-300">
            Room <span className="font-mono">{review.room.code}</span> · {new Date(review.room.createdAt).toLocaleString()} · {review.participants.length} students ·{" "}
            {review.rounds.length} rounds
          </p>
          <p className="text-base text-slate-400">
            Model {review.room.model.name} (<span className="font-mono">{review.room.model.id}</span>, SHA-256 <span className="font-mono">{review.room.model.sha256.slice(0, 12)}…</span>)
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href={`/api/rooms/${review.room.code}/export.csv`} download className={linkCls}>
            Download CSV
          </a>
          <a href={`/api/rooms/${review.room.code}/export.json`} download className={linkCls}>
            Download JSON
          </a>
          <Link href="/dashboard" className={linkCls}>
            Dashboard
          </Link>
        </div>
      </header>

      {review.threads.filter((t) => t.appended.length).map((t, i) => (
        <section key={i} className="rounded-2xl border-2 border-slate-700 p-5">
          <h2 className="mb-2 text-2xl font-bold">Text written together{review.threads.length > 1 ? ` (${i + 1})` : ""}</h2>
          <ThreadText thread={t} />
        </section>
      ))}

      {review.rounds.map((r) => (
        <RoundReview key={r.id} round={r} />
      ))}

      {(review.hatGames ?? []).map((g) => (
        <HatGameReviewView key={g.id} game={g} />
      ))}
    </main>
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
