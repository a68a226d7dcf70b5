"use client";
// The projector's building blocks. Every size is in viewport heights (text-stage-*), so a view reads
// the same from the back of a room at 1280×720 and at 1920×1080, and every view fits one screen.
import type { ReactNode } from "react";
import type { TokenView } from "@/contract/protocol/guess";
import { tokenLabels } from "../../_lib/format";

/** The small join reminder that stays on screen during activities. */
export function JoinCorner({ url, code, qrSvg }: { url: string; code: string; qrSvg: string }) {
  return (
    <div className="flex shrink-0 items-center gap-[1.2vw] text-stage-s">
      <p className="text-right leading-tight">
        Join at <b>{url.replace(/^https?:\/\//, "").replace(/\/join\/.*$/, "")}</b>
        <br />
        code <b className="font-mono tracking-widest text-hat-300">{code}</b>
      </p>
      <div className="h-[11vh] w-[11vh] rounded-[0.8vh] bg-white p-[0.6vh]" role="img" aria-label={`QR code to join room ${code}`} dangerouslySetInnerHTML={{ __html: qrSvg }} />
    </div>
  );
}

/** A main figure: what it is, the number, and one line saying what the number means. */
export function Figure({ label, value, meaning, tone = "text-white" }: { label: string; value: ReactNode; meaning?: ReactNode; tone?: string }) {
  return (
    // its own <dl>, so a figure can sit in any layout and still be a valid term/description pair
    <dl className="min-w-0">
      <dt className="text-stage-s text-slate-300">{label}</dt>
      <dd data-figure className={`text-stage-fig font-black tabular-nums ${tone}`}>
        {value}
      </dd>
      {meaning ? <dd className="text-stage-s text-slate-200">{meaning}</dd> : null}
    </dl>
  );
}

export interface StageBar {
  key: string | number;
  label: string;
  /** 0..1, drawn on the one absolute scale of every bar on the projector. */
  share: number;
  value: string;
  /** A second line of text, e.g. how often training saw it. */
  note?: ReactNode;
  strong?: boolean;
}

/**
 * Bars on an absolute 0–100% scale, so a sure model (one long bar) and an unsure one (many short
 * ones) look different at a glance. The number is always written beside the bar.
 */
export function StageBars({ bars, color, label, noteHeading }: { bars: StageBar[]; color: string; label: string; noteHeading?: string }) {
  return (
    <div className="min-w-0">
      <ol aria-label={label} className="grid gap-[0.9vh]">
        {bars.map((b) => (
          <li key={b.key} className="grid grid-cols-[minmax(0,0.9fr)_minmax(0,1.4fr)_auto] items-center gap-x-[1vw] text-stage-s">
            <span className={`min-w-0 break-words font-mono ${b.strong ? "font-bold text-hat-300" : ""}`}>
              {b.strong ? "▶ " : ""}
              {b.label}
            </span>
            <span className="relative h-[3.4vh] rounded-[0.4vh] bg-slate-800">
              <span className={`absolute inset-y-0 left-0 rounded-[0.4vh] ${b.strong ? "bg-hat-400" : color}`} style={{ width: `${Math.max(0.6, b.share * 100)}%` }} />
            </span>
            <span className="text-right tabular-nums">
              <b>{b.value}</b>
              {b.note !== undefined ? <span className="ml-[0.8vw] text-slate-300">{b.note}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      <ScaleAxis noteHeading={noteHeading} />
    </div>
  );
}

/** 0%, 50%, 100% under the bars: the scale is the same on every panel. */
function ScaleAxis({ noteHeading }: { noteHeading?: string }) {
  return (
    <div aria-hidden className="mt-[0.6vh] grid grid-cols-[minmax(0,0.9fr)_minmax(0,1.4fr)_auto] gap-x-[1vw] text-stage-s text-slate-400">
      <span />
      <span className="flex justify-between border-t-[0.3vh] border-slate-500 pt-[0.3vh]">
        <span>0%</span>
        <span>50%</span>
        <span>100%</span>
      </span>
      <span className="text-right">{noteHeading ?? ""}</span>
    </div>
  );
}

/** A prompt as the model reads it: one box per token, so the boundaries show without colour. */
export function StageTokens({ tokens, size = "text-stage-l", after }: { tokens: TokenView[]; size?: string; after?: ReactNode }) {
  const visible = tokens.filter((t) => !t.special);
  const labels = tokenLabels(visible.map((t) => t.text));
  return (
    <p className={`${size} break-words leading-[1.45]`}>
      <span className="sr-only">{visible.map((t) => t.text).join("")}</span>
      {labels.map((label, i) => (
        <span
          key={i}
          aria-hidden
          className={`mx-[0.15vw] inline rounded-[0.6vh] border-[0.25vh] px-[0.2vw] font-mono ${i % 2 ? "border-sky-400/70 bg-sky-950/60" : "border-amber-300/70 bg-amber-950/50"}`}
        >
          {label}
        </span>
      ))}
      {after}
    </p>
  );
}

/** A rounded panel with a heading, for the two sides of a comparison and the like. */
export function StagePanel({ title, children, tone = "border-slate-700", label }: { title: ReactNode; children: ReactNode; tone?: string; label?: string }) {
  return (
    <section aria-label={label} className={`flex min-h-0 min-w-0 flex-col gap-[1.2vh] rounded-[1.5vh] border-[0.4vh] ${tone} px-[1.4vw] py-[1.4vh]`}>
      <h2 className="text-stage-m font-bold">{title}</h2>
      {children}
    </section>
  );
}
