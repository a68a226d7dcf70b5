"use client";
// The student's hat on the phone: their own story, their own hat of slips for the next blank, a big
// button to draw, and a short reveal of the slip before it fills the blank.
import { useEffect, useRef, useState } from "react";
import { HAT_EVENTS, type DrawAck, type FillView, type HatGameView, type HatMeView } from "@/contract/protocol/hat";
import type { PhoneProps } from "../types";
import { formatBits, formatJoint, formatPerplexity, formatProb, showToken } from "../../../_lib/format";
import { ErrorNote } from "../../form-bits";
import { HatOutside, SlipGrid, SlipLegend, StoryText } from "./hat-slips";

const grouped = (n: number) => n.toLocaleString("en-US");

export function PhoneHat({ activity, emit }: PhoneProps<"hat">) {
  const game = activity.view.game;
  const me = activity.mine;
  const [error, setError] = useState<string | null>(null);
  const [tapped, setTapped] = useState(false);
  // The slip being revealed: shown for a moment before the story takes it.
  const [reveal, setReveal] = useState<FillView | null>(null);

  useEffect(() => {
    if (!reveal) return;
    const timer = setTimeout(() => setReveal(null), 2600);
    return () => clearTimeout(timer);
  }, [reveal]);

  if (!me)
    return (
      <section aria-live="polite" className="space-y-2 text-lg">
        <p className="text-2xl font-bold">Mad Libs: {game.title}</p>
        <p>{game.status === "running" || game.status === "starting" ? "Your story is being set up…" : "This hat game has finished."}</p>
      </section>
    );

  async function draw() {
    if (me?.blank === null || me?.blank === undefined) return;
    setTapped(true);
    const r = await emit<DrawAck>(HAT_EVENTS.draw, { gameId: game.id, blank: me.blank });
    setTapped(false);
    if (r.ok) {
      setError(null);
      setReveal(r.data.fill);
    } else setError(r.message);
  }

  const blankLabel = me.blank === null ? null : `Blank ${me.blank + 1} of ${game.blanks}`;
  return (
    <div className="flex flex-col gap-4">
      <section aria-label="Your story" className="rounded-2xl border-2 border-slate-700 p-3">
        <h2 className="mb-1 flex justify-between text-base font-semibold text-slate-300">
          <span>Your story</span>
          <span>{blankLabel ?? "complete"}</span>
        </h2>
        <StoryText story={me.story} current={me.phase === "done" ? null : me.blank} />
      </section>

      {/* Only what changes by itself is announced: the slip, and where the phone stands; not the whole hat on every dial move. */}
      <div aria-live="polite" className="sr-only">
        {reveal ? `Your slip says ${showToken(reveal.text)}.` : me.phase === "waiting" ? "Waiting for the next blank." : me.phase === "ready" ? `Your hat for blank ${(me.blank ?? 0) + 1} is ready.` : me.phase === "done" ? "Your story is complete." : ""}
      </div>
      <div>
        {reveal ? (
          <SlipReveal fill={reveal} />
        ) : me.phase === "ready" && me.hat ? (
          <section aria-label="Your hat" className="space-y-3 rounded-2xl border-2 border-hat-400 p-3">
            <div className="flex items-baseline justify-between gap-2">
              <h2 className="text-xl font-bold">Your hat</h2>
              <p className="text-sm text-slate-300">
                T {me.hat.dial.temperature} · top-p {me.hat.dial.topP}
                {me.hat.dial.topK !== null ? ` · top-k ${me.hat.dial.topK}` : ""}
              </p>
            </div>
            <p className="text-sm text-slate-300">100 of its {grouped(me.hat.total)} slips, drawn to scale. The numbers are the real counts.</p>
            <SlipGrid hat={me.hat} />
            <button
              type="button"
              onClick={() => void draw()}
              disabled={tapped}
              className="h-16 w-full rounded-2xl bg-hat-400 text-2xl font-extrabold text-ink active:scale-[0.98] disabled:opacity-60"
            >
              <span className="text-2xl">{tapped ? "Drawing…" : "Draw a slip"}</span>
            </button>
            <ErrorNote message={error} />
            <SlipLegend hat={me.hat} />
            <HatOutside hat={me.hat} />
            <p className="text-sm text-slate-400">
              Entropy of this hat: {formatBits(me.hat.entropyBits)} (the model&apos;s own: {formatBits(me.hat.modelEntropyBits)}).
            </p>
          </section>
        ) : me.phase === "drawing" ? (
          <p className="animate-pulse rounded-2xl border-2 border-hat-400 p-4 text-xl font-bold">Drawing your slip…</p>
        ) : me.phase === "preparing" ? (
          <p className="rounded-2xl border-2 border-slate-600 p-4 text-xl">The model is reading your story to fill your hat…</p>
        ) : me.phase === "waiting" ? (
          <p className="rounded-2xl border-2 border-sky-400 bg-sky-950 p-4 text-xl">Wait for the host to open blank {(me.blank ?? 0) + 1}. Look at the projector: whose story is most surprising?</p>
        ) : (
          <StoryScore game={game} me={me} />
        )}
      </div>

      {me.fills.length > 0 ? <MyDraws fills={me.fills} total={game.blanks} /> : null}
    </div>
  );
}

function SlipReveal({ fill }: { fill: FillView }) {
  const first = fill.tokens[0]!;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    // The slip unfolds out of the hat; people who asked for less motion just see it.
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
    ref.current?.animate(
      [
        { transform: "translateY(40px) rotateX(80deg) scale(0.5)", opacity: 0 },
        { transform: "translateY(-6px) rotateX(0deg) scale(1.04)", opacity: 1, offset: 0.7 },
        { transform: "none", opacity: 1 },
      ],
      { duration: 700, easing: "ease-out" },
    );
  }, []);
  return (
    <section ref={ref} className="space-y-2 rounded-2xl border-4 border-hat-400 bg-hat-50 p-5 text-center text-ink" aria-label="Your slip">
      <p className="text-base font-semibold">Slip #{grouped(first.slip + 1)} of 10,000 says</p>
      <p className="font-mono text-5xl font-black">{showToken(first.text)}</p>
      <p className="text-base">
        {grouped(first.count)} {first.count === 1 ? "slip" : "slips"} carried it · the model gave it {formatProb(first.p)}
      </p>
      {fill.tokens.length > 1 ? (
        <p className="text-base">
          The word went on: {fill.tokens.slice(1).map((t) => showToken(t.text)).join(" + ")} → <b className="font-mono">{showToken(fill.text)}</b>
        </p>
      ) : null}
    </section>
  );
}

function StoryScore({ game, me }: { game: HatGameView; me: HatMeView }) {
  const story = me.story;
  return (
    <section className="space-y-2 rounded-2xl border-2 border-emerald-400 p-4 text-lg">
      <h2 className="text-2xl font-bold">{game.status === "finished" ? "The game is over" : "Your story is complete"}</h2>
      <p>
        Chance the model writes exactly your words: <b>{formatJoint(story.log2Prob)}</b> (the product of every drawn token&apos;s probability).
      </p>
      <p>
        Perplexity: <b>{formatPerplexity(story.perplexity)}</b>: on average the model was as unsure as choosing among that many tokens.
      </p>
      {story.least ? (
        <p>
          Least likely draw: <LeastLikely least={story.least} /> in blank {story.least.blank + 1}.
        </p>
      ) : null}
    </section>
  );
}

/** "␣girl" when the word is one token; "␣g" in "␣girl" when it took several. */
export function LeastLikely({ least }: { least: HatMeView["story"]["least"] }) {
  if (!least) return null;
  return (
    <>
      <b className="font-mono">{showToken(least.text)}</b>
      {least.fill.trim() !== least.text.trim() ? (
        <>
          {" "}
          in <b className="font-mono">{showToken(least.fill)}</b>
        </>
      ) : null}{" "}
      ({formatProb(least.p)})
    </>
  );
}

function MyDraws({ fills, total }: { fills: FillView[]; total: number }) {
  return (
    <details className="rounded-2xl border-2 border-slate-700 p-3 text-base">
      <summary className="cursor-pointer text-lg font-semibold">
        My draws ({fills.length} of {total})
      </summary>
      <ol className="mt-2 space-y-2">
        {fills.map((f) => (
          <li key={f.blank}>
            Blank {f.blank + 1}: <b className="font-mono">{showToken(f.text)}</b> ={" "}
            {f.tokens.map((t, i) => (
              <span key={i} className="font-mono">
                {i > 0 ? " + " : ""}
                {showToken(t.text)} <span className="text-slate-400">({formatProb(t.p)})</span>
              </span>
            ))}
            <span className="block text-sm text-slate-400">
              seed {f.seed} · T {f.dial.temperature} · top-p {f.dial.topP}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
