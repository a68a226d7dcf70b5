"use client";
// The calibration game on a phone, one-handed at 360 px: the question, the answer (two big buttons
// or a text box), then one tap on "how sure are you?", which sends it. After the reveal, the
// student's own calibration beside the class's and the model's.
import { useState } from "react";
import { CALIBRATION_EVENTS, CONFIDENCE_LEVELS, type AnswerAck, type CalibrationMine, type CalibrationView } from "@/contract/protocol/calibration";
import { ErrorNote } from "../../form-bits";
import type { PhoneProps } from "../types";
import { BRIER_MEANING, headlineLevels, levelLine, pct, score } from "./calibration-words";

export function PhoneCalibration({ activity, emit }: PhoneProps<"calibration">) {
  const view = activity.view;
  if (view.status === "preparing") return <p className="text-xl">The model is answering the questions first…</p>;
  if (view.status === "failed") return <p className="text-xl">This calibration game could not start. {view.error}</p>;
  if (view.status === "revealed") return <MyCalibration view={view} mine={activity.mine} />;
  return <AnswerForm key={view.question!.index} view={view} mine={activity.mine} emit={emit} />;
}

function AnswerForm({ view, mine, emit }: { view: CalibrationView; mine: CalibrationMine | null; emit: PhoneProps<"calibration">["emit"] }) {
  const question = view.question!;
  const sent = mine?.current ?? null;
  const [answer, setAnswer] = useState(sent?.answer ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(confidence: number | null) {
    setBusy(true);
    const r = await emit<AnswerAck>(CALIBRATION_EVENTS.answer, { gameId: view.gameId, question: question.index, answer, confidence });
    setBusy(false);
    setError(r.ok ? null : r.message);
  }

  const needsAnswer = answer.trim() === "";
  return (
    <form className="flex flex-col gap-4" onSubmit={(e) => e.preventDefault()} aria-label="Answer the question">
      <p className="text-base text-slate-300">
        Question {question.index + 1} of {view.questionCount}
      </p>
      <h2 className="text-2xl font-bold leading-snug">{question.text}</h2>
      {question.choices ? (
        <div className="grid grid-cols-2 gap-3" role="group" aria-label="Answers to pick from">
          {question.choices.map((c) => (
            <button
              key={c}
              type="button"
              aria-pressed={answer === c}
              onClick={() => setAnswer(c)}
              className={`h-16 rounded-2xl border-2 text-2xl font-bold ${answer === c ? "border-hat-400 bg-hat-400 text-ink" : "border-slate-500"}`}
            >
              {c}
            </button>
          ))}
        </div>
      ) : (
        <label className="block">
          <span className="mb-1 block text-base font-semibold">Your answer</span>
          <input
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
            maxLength={60}
            autoComplete="off"
            enterKeyHint="done"
            className="h-14 w-full rounded-xl border-2 border-slate-500 bg-slate-900 px-3 text-xl"
            placeholder="A word or two"
          />
        </label>
      )}
      <fieldset className="space-y-2">
        <legend className="text-lg font-semibold">How sure are you? Tap to send.</legend>
        <div className="grid grid-cols-3 gap-2">
          {CONFIDENCE_LEVELS.map((c) => (
            <button
              key={c}
              type="button"
              disabled={busy || needsAnswer}
              aria-pressed={sent?.confidence === c && sent.answer === answer.trim()}
              onClick={() => void send(c)}
              className={`h-14 rounded-xl border-2 text-xl font-bold disabled:opacity-40 ${sent?.confidence === c ? "border-hat-400 bg-hat-400 text-ink" : "border-slate-500"}`}
            >
              {c}%
            </button>
          ))}
        </div>
        <button
          type="button"
          disabled={busy}
          aria-pressed={sent !== null && sent.confidence === null}
          onClick={() => void send(null)}
          className={`h-14 w-full rounded-xl border-2 text-xl font-bold ${sent !== null && sent.confidence === null ? "border-sky-300 bg-sky-300 text-ink" : "border-slate-500"}`}
        >
          I don&apos;t know
        </button>
      </fieldset>
      <p aria-live="polite" className="text-base text-slate-200">
        {sent
          ? `Sent: ${sent.confidence === null ? "“I don't know”" : `“${sent.answer}”, ${sent.confidence}% sure`}. You can change it until the next question.`
          : needsAnswer
            ? question.choices
              ? "Pick an answer, then how sure you are."
              : "Type your answer, then tap how sure you are."
            : "Now tap how sure you are."}
      </p>
      <ErrorNote message={error} />
    </form>
  );
}

function MyCalibration({ view, mine }: { view: CalibrationView; mine: CalibrationMine | null }) {
  const reveal = view.reveal!;
  const me = mine?.summary ?? null;
  const answers = mine?.answers ?? [];
  return (
    <section className="flex flex-col gap-4" aria-label="Your calibration">
      <h2 className="text-2xl font-bold">Look up: the reveal is on the screen.</h2>
      {me && me.answered > 0 ? (
        <div className="space-y-2 rounded-2xl border-2 border-hat-400 p-3 text-lg">
          <p>
            You were right <b>{me.right}</b> of <b>{me.answered}</b> times you gave a confidence
            {me.abstained > 0 ? `, and said “I don't know” ${me.abstained} ${me.abstained === 1 ? "time" : "times"}` : ""}.
          </p>
          {headlineLevels(me).map((l) => (
            <p key={l.label}>{levelLine(l, "you")}</p>
          ))}
        </div>
      ) : (
        <p className="text-lg">{answers.length > 0 ? "You said “I don't know” every time: no confidence to check." : "You did not answer this time."}</p>
      )}
      <table className="w-full text-left text-lg">
        <caption className="mb-1 text-left text-base text-slate-300">Brier score (lower is better)</caption>
        <tbody>
          <tr>
            <th className="font-semibold">You</th>
            <td className="text-right tabular-nums">{score(me?.brier ?? null)}</td>
          </tr>
          <tr>
            <th className="font-semibold">The class</th>
            <td className="text-right tabular-nums">{score(reveal.class.brier)}</td>
          </tr>
          <tr>
            <th className="font-semibold">The model</th>
            <td className="text-right tabular-nums">{score(reveal.model.brier)}</td>
          </tr>
        </tbody>
      </table>
      <p className="text-base text-slate-300">{BRIER_MEANING}</p>
      <ol className="space-y-2" aria-label="Your answers">
        {answers.map((a) => {
          const q = reveal.questions[a.index];
          return (
            <li key={a.index} className="rounded-xl border-2 border-slate-700 p-2 text-base">
              <p className="font-semibold">{q?.text}</p>
              <p>
                {a.confidence === null ? "You said “I don't know”." : `You: “${a.answer}”, ${a.confidence}% sure — ${a.correct ? "right ✓" : "wrong ✗"}.`}{" "}
                {q ? (q.answers.length > 0 ? `Answer: ${q.answers[0]}.` : "Nobody knows: it is made up.") : ""}
              </p>
              {q ? (
                <p className="text-slate-300">
                  Model: “{q.model.answer}”, {pct(q.model.p)} sure{q.model.notSure ? " (says not sure)" : q.model.correct ? " ✓" : " ✗"}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
