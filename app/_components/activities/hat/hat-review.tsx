"use client";
// A hat game in the facilitators' review: the stories with their chain-rule numbers, and every draw
// with the hat it came from, the tokens, their probabilities and the seed that reproduces it.
import type { HatGameReview, SessionReview } from "@/contract/http/review";
import { formatBits, formatJoint, formatPerplexity, formatProb, showToken } from "../../../_lib/format";
import { HatDrawsChart } from "../../review/charts";
import { StoryText } from "./hat-slips";

export function HatGameReviewView({ game }: { game: HatGameReview }) {
  return (
    <section className="space-y-4 rounded-2xl border-2 border-hat-400 p-5" aria-label={`Hat game: ${game.title}`}>
      <header>
        <h2 className="text-2xl font-bold">Hat game: {game.title}</h2>
        <p className="font-mono text-lg">{game.templateText}</p>
        <p className="text-base text-slate-400">
          Model <span className="font-mono">{game.model.id}</span> (SHA-256 <span className="font-mono">{game.model.sha256.slice(0, 12)}…</span>) · up to {game.maxTokens} tokens per blank ·{" "}
          {game.draws.length} draws · {game.status}
        </p>
        {game.entropy ? (
          <p className="text-base text-slate-300">
            Entropy at blank 1: well known ({game.entropy.known.title}) {formatBits(game.entropy.known.bits)} vs made up ({game.entropy.madeUp.title}){" "}
            {formatBits(game.entropy.madeUp.bits)}
          </p>
        ) : null}
      </header>
      {game.draws.length ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {Array.from({ length: game.segments.length - 1 }, (_, blank) => (
            <HatDrawsChart key={blank} game={game} blank={blank} />
          ))}
        </div>
      ) : null}
      <div>
        <h3 className="mb-2 text-xl font-bold">Stories</h3>
        <ol className="space-y-2">
          {game.stories.map((s) => (
            <li key={s.participantId} className="rounded-xl bg-slate-900 p-3">
              <StoryText story={s} />
              <p className="text-base text-slate-300">
                {s.nickname} · {s.drawn} of {game.segments.length - 1} blanks · joint p {formatJoint(s.log2Prob)} · perplexity {formatPerplexity(s.perplexity)}
              </p>
            </li>
          ))}
        </ol>
      </div>
      <details>
        <summary className="cursor-pointer text-xl font-bold">Every draw ({game.draws.length})</summary>
        <div className="overflow-x-auto">
          <table className="mt-2 w-full text-left text-base">
            <thead className="text-slate-400">
              <tr>
                <th className="pr-3 font-normal">Student</th>
                <th className="pr-3 font-normal">Blank</th>
                <th className="pr-3 font-normal">Drawn</th>
                <th className="pr-3 font-normal">Tokens (model p, slips of 10,000)</th>
                <th className="pr-3 font-normal">Hat (top slips)</th>
                <th className="pr-3 font-normal">Dial</th>
                <th className="font-normal">Seed</th>
              </tr>
            </thead>
            <tbody>
              {game.draws.map((d) => (
                <tr key={`${d.participantId}:${d.blank}`} className="border-t border-slate-800 align-top">
                  <td className="pr-3">{d.nickname}</td>
                  <td className="pr-3">{d.blank + 1}</td>
                  <td className="pr-3 font-mono">{showToken(d.text)}</td>
                  <td className="pr-3 font-mono text-sm">
                    {d.tokens.map((t, i) => (
                      <span key={i} className="block">
                        {showToken(t.text)} {formatProb(t.p)} · {t.count}
                      </span>
                    ))}
                  </td>
                  <td className="pr-3 font-mono text-sm">
                    {d.hat.top.slice(0, 5).map((t) => `${showToken(t.text)} ${t.count}`).join(", ")}
                    {d.hat.cutMass > 0 ? <span className="block text-slate-400">cut {formatProb(d.hat.cutMass)}</span> : null}
                  </td>
                  <td className="pr-3 text-sm">
                    T {d.dial.temperature} · p {d.dial.topP}
                    {d.dial.topK !== null ? ` · k ${d.dial.topK}` : ""}
                  </td>
                  <td className="font-mono text-sm">{d.seed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

export function HatReviewView({ review }: { review: SessionReview }) {
  return (
    <>
      {review.hatGames.map((g) => (
        <HatGameReviewView key={g.id} game={g} />
      ))}
    </>
  );
}
