"use client";
// The calibration game on the projector: the open question while the class answers, then the
// reveal a page at a time: the class and the model side by side on reliability diagrams, what
// "90% sure" meant for each, the model on made-up subjects and what its threshold trades, and
// every question with its answer.
import type { ReactNode } from "react";
import type { CalibrationFinale, CalibrationRevealView, CalibrationSummary, QuestionRevealView } from "@/contract/protocol/calibration";
import { formatBits } from "../../../_lib/format";
import { Pager, pagesOf } from "../../stage/pager";
import { Figure, StagePanel } from "../../stage/stage-kit";
import type { ProjectorProps } from "../types";
import { BRIER_MEANING, ECE_MEANING, headlineLevels, levelLine, pct, score, SOURCE_WORDS } from "./calibration-words";
import { ReliabilityChart } from "./reliability-chart";

const CLASS_COLOUR = "#ffbf3f";
const MODEL_COLOUR = "#38bdf8";

export function ProjectorCalibration({ activity, live, people }: ProjectorProps<"calibration">) {
  const view = activity.view;
  if (view.status === "preparing") return <p className="text-stage-l">The model is answering all {view.questionCount} questions first…</p>;
  if (view.status === "failed") return <p className="text-stage-l">The calibration game could not start: {view.error}</p>;
  if (view.status === "revealed") return <Reveal reveal={view.reveal!} threshold={view.threshold} />;
  const question = view.question!;
  const answered = live?.question === question.index ? (live.answered ?? view.answered) : view.answered;
  return (
    <div className="flex min-h-0 flex-1 flex-col justify-center gap-[4vh]">
      <p className="text-stage-m text-slate-200">
        <b>Calibration</b> · question {question.index + 1} of {view.questionCount}
      </p>
      <h2 className="text-stage-fig font-extrabold leading-tight">{question.text}</h2>
      {question.choices ? <p className="text-stage-l font-bold">{question.choices.join(" or ")}?</p> : null}
      <p className="text-stage-m">
        On your phone: your answer, and <b className="text-hat-300">how sure you are</b> (50% to 100%, or “I don&apos;t know”).
      </p>
      <p className="text-stage-m tabular-nums">
        <b>{answered}</b> of {people} answered
      </p>
    </div>
  );
}

function Side({ title, summary, colour, who }: { title: string; summary: CalibrationSummary; colour: string; who: string }) {
  return (
    <StagePanel title={title} label={title}>
      <div className="grid min-h-0 flex-1 grid-cols-[1.5fr_1fr] gap-[1vw]">
        <div className="min-h-0">
          <ReliabilityChart bins={summary.bins} color={colour} label={`${who}: how sure against how often right`} stage />
        </div>
        <div className="flex flex-col justify-center gap-[3vh]">
          <Figure label="Brier score" value={score(summary.brier)} />
          <Figure label="Calibration error" value={summary.ece === null ? "–" : pct(summary.ece)} />
        </div>
      </div>
      <p className="text-stage-s text-slate-200">
        Right {summary.right} of {summary.answered}
        {summary.abstained > 0 ? ` · “${who === "the model" ? "not sure" : "I don't know"}” ${summary.abstained}` : ""}
      </p>
    </StagePanel>
  );
}

function Diagrams({ reveal }: { reveal: CalibrationRevealView }) {
  return (
    <div className="grid min-h-0 flex-1 grid-cols-2 gap-[2vw]">
      <Side title="The class" summary={reveal.class} colour={CLASS_COLOUR} who="the class" />
      <Side title="The model" summary={reveal.model} colour={MODEL_COLOUR} who="the model" />
    </div>
  );
}

/** At the end of the session: the class beside the model, once more. */
export function calibrationFinalePages(view: CalibrationFinale): ReactNode[] {
  return [
    <div key="calibration" className="flex h-full flex-col gap-[1.5vh]">
      <h2 className="text-stage-l font-bold">Calibration: {view.title}</h2>
      <Diagrams reveal={view.reveal} />
    </div>,
  ];
}

function Reveal({ reveal, threshold }: { reveal: CalibrationRevealView; threshold: number | null }) {
  const pages = [
    <div key="diagrams" className="flex h-full flex-col gap-[1.5vh]">
      <p className="text-stage-s text-slate-200">Up: how often right. Across: how sure. On the dashed line, “90% sure” is right 90% of the time; below it, too sure.</p>
      <Diagrams reveal={reveal} />
    </div>,
    <div key="levels" className="flex h-full flex-col gap-[2.5vh]">
      <h2 className="text-stage-l font-extrabold">When you said 90%…</h2>
      {headlineLevels(reveal.class).map((l) => (
        <p key={`c${l.label}`} className="text-stage-m">
          <span className="text-hat-300">■</span> {levelLine(l, "the class")}
        </p>
      ))}
      {headlineLevels(reveal.model).map((l) => (
        <p key={`m${l.label}`} className="text-stage-m">
          <span className="text-sky-400">■</span> {levelLine(l, "the model", "was")}
        </p>
      ))}
      <p className="text-stage-s text-slate-200">{BRIER_MEANING}</p>
      <p className="text-stage-s text-slate-200">{ECE_MEANING}</p>
    </div>,
    <ModelPage key="model" reveal={reveal} threshold={threshold} />,
    ...pagesOf(reveal.questions, 4).map((qs, i) => <QuestionsPage key={`q${i}`} questions={qs} />),
  ];
  return <Pager pages={pages} seconds={15} label="The calibration reveal" />;
}

function ModelPage({ reveal, threshold }: { reveal: CalibrationRevealView; threshold: number | null }) {
  const t = reveal.tradeoff;
  return (
    <div className="flex h-full flex-col gap-[2.5vh]">
      {reveal.madeUp && reveal.madeUp.meanConfidence !== null ? (
        <p className="text-stage-l">
          On {reveal.madeUp.n} made-up subjects the model was on average <b className="text-rose-300">{pct(reveal.madeUp.meanConfidence)} sure</b>
          {reveal.madeUp.confident > 0 ? `, ${reveal.madeUp.confident} of them at 80% or more` : ""}. Nobody knows those answers.
        </p>
      ) : (
        <p className="text-stage-l">This set has no made-up subjects.</p>
      )}
      {reveal.madeUp && reveal.madeUp.classAnswers > 0 ? (
        <p className="text-stage-m">
          The class said “I don&apos;t know” to them {reveal.madeUp.classDontKnow} of {reveal.madeUp.classAnswers} times.
        </p>
      ) : null}
      <StagePanel title={threshold === null ? "The model always answers" : `The model says “not sure” above ${formatBits(threshold)} of uncertainty`} label="The threshold">
        <div className="grid grid-cols-3 gap-[2vw]">
          <Figure label="right" value={t.right} tone="text-emerald-300" />
          <Figure label="wrong" value={t.wrong} tone="text-rose-300" />
          <Figure label="not sure" value={t.notSure} tone="text-sky-300" />
        </div>
        <p className="text-stage-s text-slate-200">
          {threshold === null
            ? "The host can let it say “not sure” when it is unsure: fewer wrong answers, more “not sure”."
            : `Always answering, it was right ${reveal.tradeoffCurve[0]!.right} and wrong ${reveal.tradeoffCurve[0]!.wrong}. A lower threshold: fewer wrong, more “not sure”.`}
        </p>
      </StagePanel>
    </div>
  );
}

function QuestionsPage({ questions }: { questions: QuestionRevealView[] }) {
  return (
    <ol className="grid h-full grid-rows-4 gap-[1.5vh]" aria-label="Every question">
      {questions.map((q) => (
        <li key={q.index} className="min-h-0 rounded-[1.2vh] border-[0.3vh] border-slate-700 px-[1.2vw] py-[0.8vh] text-stage-s">
          <p>
            <b>
              {q.index + 1}. {q.text}
            </b>{" "}
            <span className="text-slate-300">({SOURCE_WORDS[q.source]})</span>
          </p>
          <p>
            Answer: <b>{q.answers[0] ?? "nobody knows"}</b> · class right {q.classRight} of {q.classAnswered}
            {q.classDontKnow > 0 ? `, ${q.classDontKnow} “I don't know”` : ""} · model: <b className="font-mono">{q.model.answer}</b> {pct(q.model.p)} sure
            {q.model.notSure ? " → not sure" : q.model.correct ? " ✓" : " ✗"}
          </p>
        </li>
      ))}
    </ol>
  );
}
