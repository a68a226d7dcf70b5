"use client";
// The explore step: each phone runs the model itself (the solo explorer) while the projector says
// what to try and how long is left; the host sets the minutes and a prompt to start from.
import { useEffect, useState } from "react";
import { Explorer } from "../../explorer/explorer";
import { inputCls, panel, secondary } from "../controls";
import type { HostStartProps, PhoneProps, ProjectorProps } from "../types";

const IDEAS = [
  "A famous name, then a made-up one: how sure is the model now?",
  "Turn the temperature up to 2 and draw five slips.",
  "Top-p 0.5: which tokens fall out of the hat?",
  "Same text in every model: which one says it does not know?",
];

function useMinutesLeft(startedAt: number, minutes: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((startedAt + minutes * 60_000 - now) / 60_000));
}

export function ExploreProjector({ activity }: ProjectorProps<"explore">) {
  const { minutes, prompt, startedAt } = activity.view;
  const left = useMinutesLeft(startedAt, minutes);
  return (
    <article className="flex min-h-0 flex-1 flex-col justify-center gap-[3vh] px-[2vw]">
      <h2 className="text-stage-l font-extrabold">Explore on your own: the model is on your phone</h2>
      <p className="text-stage-m text-hat-300">{left > 0 ? `About ${left} ${left === 1 ? "minute" : "minutes"} left` : "Time is up: look up!"}</p>
      {prompt ? <p className="text-stage-m">Start from: <b className="font-mono">{prompt}</b></p> : null}
      <ul className="list-disc space-y-[1.5vh] pl-[3vw] text-stage-m">
        {IDEAS.map((idea) => (
          <li key={idea}>{idea}</li>
        ))}
      </ul>
    </article>
  );
}

export function ExplorePhone({ activity }: PhoneProps<"explore">) {
  return (
    <section aria-label="Explore on your own" className="space-y-3">
      <p className="text-xl font-bold">Explore on your own for {activity.view.minutes} minutes. The model runs on your phone.</p>
      <Explorer initialPrompt={activity.view.prompt} />
    </section>
  );
}

export function ExploreStart({ start, disabled }: HostStartProps) {
  const [minutes, setMinutes] = useState(5);
  const [prompt, setPrompt] = useState("");
  return (
    <section className={panel} aria-label="Start exploring">
      <h2 className="text-2xl font-bold">Explore on your own</h2>
      <p className="text-base text-slate-300">Every phone loads the model (about 6 MB the first time) and runs it itself: tokens, the distribution, the hat, the chain rule.</p>
      <label className="block">
        <span className="mb-1 block text-base font-semibold">Minutes</span>
        <input type="number" min={1} max={30} value={minutes} onChange={(e) => setMinutes(Math.max(1, Math.min(30, Math.round(Number(e.target.value)) || 5)))} className={`${inputCls} w-28`} />
      </label>
      <input value={prompt} onChange={(e) => setPrompt(e.target.value)} className={inputCls} placeholder="A prompt to start from (optional)" aria-label="A prompt to start from" maxLength={300} />
      <button className={secondary} disabled={disabled} onClick={() => void start({ kind: "explore", input: { minutes, prompt } })}>
        Start exploring
      </button>
    </section>
  );
}
