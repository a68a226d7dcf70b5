"use client";
// The host's side of the hat game: pick or write a template, then turn the dial (temperature, top-p,
// top-k) while the class draws, open the blanks one by one, and finish.
import { useEffect, useRef, useState } from "react";
import { DIAL_LIMITS, HAT_EVENTS, type Dial } from "@/contract/protocol/hat";
import { inputCls, panel, primary } from "../controls";
import type { HostProps, HostStartProps } from "../types";
import { formatBits, formatJoint, formatPerplexity } from "../../../_lib/format";
import { ErrorNote } from "../../form-bits";
import { StoryText } from "./hat-slips";


/** Starting a hat game: a built-in template or the instructor's own. */
export function HostHatStart({ options, start: startActivity, disabled }: HostStartProps) {
  const templates = options?.templates ?? [];
  const [choice, setChoice] = useState<string>("blake-bourne");
  const [text, setText] = useState("");
  const [maxTokens, setMaxTokens] = useState(6);
  const [busy, setBusy] = useState(false);
  const custom = choice === "custom";
  const picked = templates.find((t) => t.id === choice);

  async function start(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    await startActivity({ kind: "hat", input: custom ? { text, maxTokens } : { templateId: choice, maxTokens } });
    setBusy(false);
  }

  return (
    <form onSubmit={start} className={panel} aria-label="Start a hat game">
      <h2 className="text-2xl font-bold">The hat: Mad Libs with the model</h2>
      <p className="text-base text-slate-300">Every phone draws its own slips from the model&apos;s hat, blank by blank. The stories diverge.</p>
      <label className="block">
        <span className="mb-1 block text-base font-semibold">Template</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value)} className={inputCls}>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
          <option value="custom">Write my own…</option>
        </select>
      </label>
      {custom ? (
        <label className="block">
          <span className="mb-1 block text-base font-semibold">Your template: 2 to 6 blanks written as ___</span>
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} className={inputCls} placeholder="Blake Bourne competes professionally as a ___. He was born in ___." />
        </label>
      ) : picked ? (
        <p className="rounded-xl bg-slate-900 p-3 text-lg">
          <span className="font-mono">{picked.text}</span>
          <span className="mt-1 block text-base text-slate-300">{picked.lesson}</span>
        </p>
      ) : null}
      <label className="flex items-center gap-3 text-base">
        Tokens per blank, at most
        <input type="number" min={1} max={8} value={maxTokens} onChange={(e) => setMaxTokens(Math.max(1, Math.min(8, Number(e.target.value) || 1)))} className={`${inputCls} w-20`} />
      </label>
      <button type="submit" className={primary} disabled={busy || disabled || (custom && !text.includes("___"))}>
        {busy ? "Filling the hats…" : "Start the hat game"}
      </button>
    </form>
  );
}

/** The running game: the dial, the blanks, and how far the class has got. */
export function HostHatRunning({ activity, emit, act, busy }: HostProps<"hat">) {
  const game = activity.view.game;
  const snapshot = activity.view.staff!;
  const [error, setError] = useState<string | null>(null);
  const [dial, setDial] = useState<Dial>(game.dial);
  const sent = useRef(JSON.stringify(game.dial));

  // The dial applies live: phones re-render their hats as it moves (debounced while dragging).
  useEffect(() => {
    const wanted = JSON.stringify(dial);
    if (wanted === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = wanted;
      void emit(HAT_EVENTS.setDial, dial).then((r) => setError(r.ok ? null : r.message));
    }, 200);
    return () => clearTimeout(timer);
  }, [dial, emit]);

  const running = game.status === "running";
  const drawnNow = snapshot.progress[game.openBlank]?.drawn ?? 0;
  const players = snapshot.stories.length + snapshot.moreStories;
  return (
    <section className={panel} aria-label="Hat game">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-2xl font-bold">Hat: {game.title}</h2>
        <p className="text-lg" aria-live="polite">
          {running ? `Blank ${game.openBlank + 1} of ${game.blanks} open · ${drawnNow} of ${players} drew` : "Finished"}
        </p>
      </div>
      <p className="font-mono text-lg">{game.templateText}</p>
      <ErrorNote message={error} />
      {running ? (
        <>
          <fieldset className="grid gap-3 rounded-xl border-2 border-slate-700 p-3 sm:grid-cols-3">
            <legend className="px-1 text-lg font-semibold">The dial (changes every hat live)</legend>
            <Slider label="Temperature" value={dial.temperature} min={0.1} max={3} step={0.1} onChange={(temperature) => setDial({ ...dial, temperature })} />
            <Slider label="Top-p" value={dial.topP} min={DIAL_LIMITS.topP.min} max={1} step={0.05} onChange={(topP) => setDial({ ...dial, topP })} />
            <label className="block text-base">
              <span className="font-semibold">Top-k</span>
              <span className="flex items-center gap-2">
                <input type="checkbox" checked={dial.topK !== null} onChange={(e) => setDial({ ...dial, topK: e.target.checked ? 10 : null })} aria-label="Use top-k" className="h-6 w-6" />
                <input
                  type="number"
                  min={1}
                  max={DIAL_LIMITS.topK.max}
                  disabled={dial.topK === null}
                  value={dial.topK ?? ""}
                  onChange={(e) => setDial({ ...dial, topK: Math.max(1, Math.min(DIAL_LIMITS.topK.max, Math.round(Number(e.target.value)) || 1)) })}
                  className={`${inputCls} w-24`}
                  aria-label="k"
                />
              </span>
            </label>
          </fieldset>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={primary} disabled={busy || game.openBlank + 1 >= game.blanks} onClick={() => void act(() => emit(HAT_EVENTS.openBlank, { blank: game.openBlank + 1 }))}>
              Open blank {Math.min(game.blanks, game.openBlank + 2)}
            </button>
          </div>
        </>
      ) : null}
      <table className="w-full text-left text-base">
        <thead className="text-slate-400">
          <tr>
            <th className="font-normal">Blank</th>
            <th className="font-normal">Drew</th>
            <th className="font-normal">Mean entropy of the hats</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.progress.map((p) => (
            <tr key={p.blank}>
              <td>{p.blank + 1}</td>
              <td className="tabular-nums">{p.drawn}</td>
              <td>{formatBits(p.meanEntropyBits)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ol className="max-h-80 space-y-2 overflow-auto">
        {snapshot.stories.map((s) => (
          <li key={s.participantId} className="rounded-xl bg-slate-900 p-2">
            <span className="text-sm text-slate-400">
              {s.nickname} · {s.drawn > 0 ? `p ${formatJoint(s.log2Prob)} · perplexity ${formatPerplexity(s.perplexity)}` : "no draws yet"}
            </span>
            <StoryText story={s} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Slider({ label, value, min, max, step, onChange }: { label: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void }) {
  return (
    <label className="block text-base">
      <span className="flex justify-between font-semibold">
        {label} <span className="tabular-nums">{value.toFixed(2)}</span>
      </span>
      <input type="range" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} className="h-8 w-full accent-amber-400" />
    </label>
  );
}
