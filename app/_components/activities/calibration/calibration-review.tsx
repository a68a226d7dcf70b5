"use client";
// A calibration game in the facilitators' review: the class and the model on reliability diagrams,
// the model's answer to every question (probability, entropy, model hash), and every answer given.
import type { CalibrationGameReview, SessionReview } from "@/contract/http/review";
import { formatBits } from "../../../_lib/format";
import { BRIER_MEANING, ECE_MEANING, pct, score, SOURCE_WORDS } from "./calibration-words";
import { ReliabilityChart } from "./reliability-chart";

function GameReview({ game }: { game: CalibrationGameReview }) {
  const reveal = game.reveal;
  return (
    <section className="space-y-4 rounded-2xl border-2 border-sky-400 p-5" aria-label={`Calibration: ${game.title}`}>
      <header>
        <h2 className="text-2xl font-bold">Calibration: {game.title}</h2>
        <p className="text-base text-slate-400">
          Model <span className="font-mono">{game.model.id}</span> (SHA-256 <span className="font-mono">{game.model.sha256.slice(0, 12)}…</span>) · threshold{" "}
          {game.threshold === null ? "off" : formatBits(game.threshold)} · {game.answers.length} answers · {game.status}
        </p>
      </header>
      {reveal ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {[
            { who: "The class", s: reveal.class, colour: "#ffbf3f" },
            { who: "The model", s: reveal.model, colour: "#38bdf8" },
          ].map(({ who, s, colour }) => (
            <figure key={who} className="space-y-2">
              <div className="h-64">
                <ReliabilityChart bins={s.bins} color={colour} label={`${who}: how sure against how often right`} />
              </div>
              <figcaption className="text-base text-slate-300">
                {who}: right {s.right} of {s.answered}, Brier {score(s.brier)}, calibration error {s.ece === null ? "–" : pct(s.ece)}
                {s.abstained ? `, ${s.abstained} abstained` : ""}.
              </figcaption>
            </figure>
          ))}
          <p className="text-base text-slate-300 lg:col-span-2">
            {BRIER_MEANING} {ECE_MEANING}
          </p>
        </div>
      ) : (
        <p className="text-base">This game was not revealed.</p>
      )}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-base">
          <caption className="text-left text-xl font-bold">The model&apos;s answers</caption>
          <thead className="text-slate-400">
            <tr>
              <th className="font-normal">#</th>
              <th className="font-normal">Question</th>
              <th className="font-normal">Accepted</th>
              <th className="font-normal">Model</th>
              <th className="font-normal">p</th>
              <th className="font-normal">Entropy</th>
              <th className="font-normal">Top tokens</th>
            </tr>
          </thead>
          <tbody>
            {game.modelAnswers.map((m, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>
                  {game.questions[i]?.text} <span className="text-slate-400">({SOURCE_WORDS[game.questions[i]?.source ?? "custom"]})</span>
                </td>
                <td>{game.questions[i]?.answers.join(", ") || "nobody knows"}</td>
                <td className="font-mono">
                  {m.answer} {m.correct ? "✓" : "✗"}
                </td>
                <td className="tabular-nums">{pct(m.p)}</td>
                <td className="tabular-nums">{formatBits(m.entropyBits)}</td>
                <td className="font-mono text-slate-300">{m.top.map((t) => `${JSON.stringify(t.text)} ${pct(t.p)}`).join(" · ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary className="cursor-pointer text-xl font-bold">Every answer ({game.answers.length})</summary>
        <table className="mt-2 w-full text-left text-base">
          <thead className="text-slate-400">
            <tr>
              <th className="font-normal">Student</th>
              <th className="font-normal">#</th>
              <th className="font-normal">Answer</th>
              <th className="font-normal">Sure</th>
              <th className="font-normal">Right</th>
            </tr>
          </thead>
          <tbody>
            {game.answers.map((a) => (
              <tr key={`${a.participantId}:${a.question}`}>
                <td>{a.nickname}</td>
                <td>{a.question + 1}</td>
                <td>{a.answer}</td>
                <td>{a.confidence === null ? "I don't know" : `${a.confidence}%`}</td>
                <td>{a.confidence === null ? "–" : a.correct ? "✓" : "✗"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

export function CalibrationReviewView({ review }: { review: SessionReview }) {
  if (review.calibrationGames.length === 0) return null;
  return (
    <>
      {review.calibrationGames.map((g) => (
        <GameReview key={g.id} game={g} />
      ))}
    </>
  );
}
