"use client";
// The host's side of guess rounds: start a round or a comparison, close it, choose the next token.
import { useState } from "react";
import { GUESS_EVENTS, type CompareSpec } from "@/contract/protocol/guess";
import { inputCls, panel, primary, secondary } from "../controls";
import type { HostProps, HostStartProps } from "../types";
import { CompareView, GuessReveal, ThreadText } from "./round-reveal";
import { TokenBoxes } from "./token-views";

export function GuessStart({ snapshot, options, start, disabled }: HostStartProps) {
  const [prompt, setPrompt] = useState("");
  const [timer, setTimer] = useState(0);
  const [mode, setMode] = useState<CompareSpec["compare"]>("prompts");
  const [promptB, setPromptB] = useState("");
  const [modelB, setModelB] = useState("");
  const [temperatures, setTemperatures] = useState<[number, number]>([0.3, 1.5]);
  const timerSeconds = timer > 0 ? timer : undefined;
  const current = snapshot.activity?.kind === "guess" ? snapshot.activity.view : null;
  const canContinue = current?.canContinue ?? false;
  const models = options?.models ?? [];
  const chatModels = models.filter((m) => m.hasChatTemplate);

  const spec = (): CompareSpec =>
    mode === "prompts" ? { compare: "prompts", prompt, promptB } : mode === "models" ? { compare: "models", prompt, modelB, chat: true } : mode === "temperature" ? { compare: "temperature", prompt, temperatures } : { compare: "chat", prompt, ...(snapshot.session.model.hasChatTemplate ? {} : chatModels[0] ? { model: chatModels[0].id } : {}) };

  return (
    <section className={panel} aria-label="Start a round">
      <h2 className="text-2xl font-bold">Guess the next token</h2>
      <label className="block">
        <span className="mb-1 block font-semibold">Prompt</span>
        <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={2} className={inputCls} placeholder="The capital of France is" />
      </label>
      {snapshot.prompts.length ? (
        <label className="block">
          <span className="mb-1 block font-semibold">…or a prepared prompt</span>
          <select className={inputCls} value="" onChange={(e) => setPrompt(snapshot.prompts[Number(e.target.value)] ?? "")}>
            <option value="">Choose…</option>
            {snapshot.prompts.map((p, i) => (
              <option key={i} value={i}>
                {p.slice(0, 90)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <label>
          <span className="mb-1 block font-semibold">Timer</span>
          <select className={inputCls} value={timer} onChange={(e) => setTimer(Number(e.target.value))}>
            <option value={0}>None: I close it</option>
            <option value={20}>20 s</option>
            <option value={30}>30 s</option>
            <option value={60}>60 s</option>
          </select>
        </label>
        <button className={primary} disabled={disabled || !prompt.trim()} onClick={() => void start({ kind: "guess", input: { mode: "round", prompt, timerSeconds } })}>
          Start guess round
        </button>
        {canContinue ? (
          <button className={secondary} disabled={disabled} onClick={() => void start({ kind: "guess", input: { mode: "continue", timerSeconds } })}>
            Next token of our text
          </button>
        ) : null}
      </div>

      <details className="rounded-xl border border-slate-700 p-3">
        <summary className="cursor-pointer text-lg font-semibold">Compare two distributions</summary>
        <div className="mt-3 space-y-3">
          <select className={inputCls} value={mode} onChange={(e) => setMode(e.target.value as CompareSpec["compare"])} aria-label="Compare what">
            <option value="prompts">Two prompts (a famous name vs a made-up one)</option>
            {chatModels.length ? <option value="chat">Raw prompt vs wrapped in the chat markers</option> : null}
            <option value="models">Two models, same prompt</option>
            <option value="temperature">Two temperatures, same prompt</option>
          </select>
          <p className="text-base text-slate-400">Uses the prompt above as A.</p>
          {mode === "prompts" ? <textarea value={promptB} onChange={(e) => setPromptB(e.target.value)} rows={2} className={inputCls} placeholder="Prompt B: Blake Bourne was a" aria-label="Prompt B" /> : null}
          {mode === "models" ? (
            <select className={inputCls} value={modelB} onChange={(e) => setModelB(e.target.value)} aria-label="Model B">
              <option value="">Choose model B…</option>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          ) : null}
          {mode === "temperature" ? (
            <div className="flex gap-3">
              {[0, 1].map((i) => (
                <label key={i} className="block">
                  <span className="mb-1 block font-semibold">Temperature {i === 0 ? "A" : "B"}</span>
                  <input
                    type="number"
                    min={0.1}
                    max={3}
                    step={0.1}
                    value={temperatures[i]}
                    onChange={(e) => setTemperatures((t) => (i === 0 ? [Number(e.target.value), t[1]] : [t[0], Number(e.target.value)]))}
                    className={`${inputCls} w-28`}
                  />
                </label>
              ))}
            </div>
          ) : null}
          <button className={secondary} disabled={disabled || !prompt.trim() || (mode === "models" && !modelB)} onClick={() => void start({ kind: "guess", input: { mode: "compare", spec: spec() } })}>
            Show the comparison
          </button>
        </div>
      </details>
    </section>
  );
}

export function GuessHost({ activity, emit, act, busy, live }: HostProps<"guess">) {
  const round = activity.view.round;
  const thread = activity.view.threads.at(-1);
  const [temperature, setTemperature] = useState(1);
  if (!round) return null;
  const votes = live?.votes ?? live?.predictions ?? (round.kind === "compare" ? (round.compare ? round.compare.predictions.a + round.compare.predictions.b : 0) : round.voteCount);
  const open = round.status === "preparing" || round.status === "voting";
  return (
    <>
      <section className={panel} aria-label="This round">
        <h2 className="text-2xl font-bold">
          Round {round.number}
          {round.kind === "compare" ? " (compare)" : ""}: {round.status === "preparing" ? "the model is computing…" : open ? `${votes} ${round.kind === "compare" ? "prediction" : "vote"}${votes === 1 ? "" : "s"}` : round.status}
        </h2>
        {round.prefix.length && round.kind === "guess" ? <TokenBoxes tokens={round.prefix} /> : null}
        {open ? (
          <button className={primary} disabled={busy || round.status !== "voting"} onClick={() => void act(() => emit(GUESS_EVENTS.close))}>
            Close and reveal
          </button>
        ) : null}
        {round.kind === "guess" && round.status === "revealed" ? (
          <section className="space-y-3 rounded-xl border-2 border-hat-400 p-3" aria-label="Choose the next token">
            <h3 className="text-xl font-bold">Which token goes next?</h3>
            <div className="flex flex-wrap gap-2">
              <button className={primary} disabled={busy} onClick={() => void act(() => emit(GUESS_EVENTS.pick, { how: "favourite" }))}>
                Class favourite
              </button>
              <button className={primary} disabled={busy} onClick={() => void act(() => emit(GUESS_EVENTS.pick, { how: "model_top" }))}>
                Model&apos;s top token
              </button>
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <label className="flex items-center gap-3 text-lg">
                Temperature
                <input type="range" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} aria-valuetext={temperature.toFixed(1)} />
                <span className="w-10 font-mono">{temperature.toFixed(1)}</span>
              </label>
              <button className={secondary} disabled={busy} onClick={() => void act(() => emit(GUESS_EVENTS.pick, { how: "sample", temperature }))}>
                Sample from the model
              </button>
            </div>
          </section>
        ) : null}
      </section>
      {round.reveal ? (
        <section className={panel}>
          <GuessReveal round={round} />
        </section>
      ) : null}
      {round.compare ? (
        <section className={panel}>
          <CompareView round={round} />
        </section>
      ) : null}
      {thread && thread.appended.length ? (
        <section className={panel}>
          <h2 className="mb-2 text-xl font-bold">The text so far</h2>
          <ThreadText thread={thread} />
        </section>
      ) : null}
    </>
  );
}
