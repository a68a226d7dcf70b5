"use client";
// The host's side of the calibration game: the start form (a built-in set or the host's own lines),
// then Next / Reveal while the class answers, and the model's entropy threshold, which moves the
// projector's "right / wrong / not sure" live, before and after the reveal.
import { useEffect, useRef, useState } from "react";
import { CALIBRATION_EVENTS, parseQuestionLines, THRESHOLD_MAX_BITS } from "@/contract/protocol/calibration";
import { formatBits } from "../../../_lib/format";
import { ErrorNote } from "../../form-bits";
import { inputCls, panel, primary, secondary } from "../controls";
import type { HostProps, HostStartProps } from "../types";
import { pct, SOURCE_WORDS } from "./calibration-words";

const OWN_EXAMPLE = "What is the capital of Peru? | The capital of Peru is | Lima\nWas Zara Quill a poet? | Question: Was Zara Quill a poet? Answer: | ?";

export function CalibrationStart({ options, start: startActivity, disabled }: HostStartProps) {
  const sets = options?.questionSets ?? [];
  const [choice, setChoice] = useState<string>(sets[0]?.id ?? "custom");
  const [lines, setLines] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const custom = choice === "custom";
  const picked = sets.find((s) => s.id === choice);

  async function start(event: React.FormEvent) {
    event.preventDefault();
    let input;
    if (custom) {
      const parsed = parseQuestionLines(lines);
      if (!parsed.ok) return setError(`Line ${parsed.line}: ${parsed.message}`);
      input = { questions: parsed.questions, threshold: null };
    } else input = { setId: choice, threshold: null };
    setError(null);
    setBusy(true);
    await startActivity({ kind: "calibration", input });
    setBusy(false);
  }

  return (
    <form onSubmit={start} className={panel} aria-label="Start a calibration game">
      <h2 className="text-2xl font-bold">Calibration: when you say 90%, are you right 90% of the time?</h2>
      <p className="text-base text-slate-300">Students answer with how sure they are; the model answers the same questions from its own distribution.</p>
      <label className="block">
        <span className="mb-1 block text-base font-semibold">Questions</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value)} className={inputCls}>
          {sets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
          <option value="custom">Write my own…</option>
        </select>
      </label>
      {custom ? (
        <label className="block">
          <span className="mb-1 block text-base font-semibold">One per line: question | prompt the model continues | answer / another accepted answer (? = nobody knows)</span>
          <textarea value={lines} onChange={(e) => setLines(e.target.value)} rows={4} className={`${inputCls} font-mono`} placeholder={OWN_EXAMPLE} />
        </label>
      ) : picked ? (
        <div className="rounded-xl bg-slate-900 p-3 text-base">
          <p>{picked.lesson}</p>
          <ol className="mt-2 list-decimal pl-6 text-slate-300">
            {picked.questions.map((q, i) => (
              <li key={i}>
                {q.text} <span className="text-slate-400">({SOURCE_WORDS[q.source]})</span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <ErrorNote message={error} />
      <button type="submit" className={primary} disabled={busy || disabled || (custom && lines.trim() === "")}>
        {busy ? "The model is answering…" : "Start the calibration game"}
      </button>
    </form>
  );
}

export function CalibrationHost({ activity, emit, act, busy, live }: HostProps<"calibration">) {
  const view = activity.view;
  const asking = view.status === "asking";
  const question = view.question;
  const last = question !== null && question.index + 1 >= view.questionCount;
  return (
    <section className={panel} aria-label="Calibration game">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-2xl font-bold">Calibration: {view.title}</h2>
        <p className="text-lg" aria-live="polite">
          {view.status === "preparing"
            ? "The model is answering…"
            : asking && question
              ? `Question ${question.index + 1} of ${view.questionCount} · ${live?.question === question.index ? (live.answered ?? view.answered) : view.answered} answered`
              : view.status === "revealed"
                ? "Revealed"
                : "Could not start"}
        </p>
      </div>
      {view.error ? <ErrorNote message={view.error} /> : null}
      {asking && question ? (
        <>
          <p className="text-xl">{question.text}</p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={primary} disabled={busy || last} onClick={() => void act(() => emit(CALIBRATION_EVENTS.next, { question: question.index + 1 }))}>
              Next question
            </button>
            <button type="button" className={last ? primary : secondary} disabled={busy} onClick={() => void act(() => emit(CALIBRATION_EVENTS.reveal))}>
              Show the reveal
            </button>
          </div>
        </>
      ) : null}
      {view.status === "asking" || view.status === "revealed" ? <Threshold bits={view.threshold} emit={emit} /> : null}
      {view.reveal ? (
        <table className="w-full text-left text-base">
          <caption className="text-left text-slate-300">The model&apos;s answers (its confidence is its first token&apos;s probability)</caption>
          <thead className="text-slate-400">
            <tr>
              <th className="font-normal">Question</th>
              <th className="font-normal">Model</th>
              <th className="font-normal">Sure</th>
              <th className="font-normal">Entropy</th>
              <th className="font-normal">Class right</th>
            </tr>
          </thead>
          <tbody>
            {view.reveal.questions.map((q) => (
              <tr key={q.index}>
                <td>{q.text}</td>
                <td className="font-mono">
                  {q.model.answer} {q.model.notSure ? "→ not sure" : q.model.correct ? "✓" : "✗"}
                </td>
                <td className="tabular-nums">{pct(q.model.p)}</td>
                <td className="tabular-nums">{formatBits(q.model.entropyBits)}</td>
                <td className="tabular-nums">
                  {q.classRight}/{q.classAnswered}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** The model's "not sure" threshold: applied live (debounced while dragging). */
function Threshold({ bits, emit }: { bits: number | null; emit: HostProps<"calibration">["emit"] }) {
  const [value, setValue] = useState<number | null>(bits);
  const [error, setError] = useState<string | null>(null);
  const sent = useRef(bits);
  useEffect(() => {
    if (value === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = value;
      void emit(CALIBRATION_EVENTS.setThreshold, { bits: value }).then((r) => setError(r.ok ? null : r.message));
    }, 250);
    return () => clearTimeout(timer);
  }, [value, emit]);
  return (
    <fieldset className="space-y-2 rounded-xl border-2 border-slate-700 p-3">
      <legend className="px-1 text-lg font-semibold">The model says “not sure” when its uncertainty is above a threshold</legend>
      <label className="flex items-center gap-2 text-base">
        <input type="checkbox" checked={value !== null} onChange={(e) => setValue(e.target.checked ? 2 : null)} className="h-6 w-6" />
        Let the model say “not sure”
      </label>
      {value !== null ? (
        <label className="block text-base">
          <span className="flex justify-between font-semibold">
            Threshold <span className="tabular-nums">{formatBits(value)}</span>
          </span>
          <input type="range" min={0} max={THRESHOLD_MAX_BITS / 2} step={0.1} value={value} onChange={(e) => setValue(Number(e.target.value))} className="h-8 w-full accent-amber-400" aria-label="Threshold in bits" />
        </label>
      ) : null}
      <ErrorNote message={error} />
    </fieldset>
  );
}
