"use client";
// The hat game on the projector (1280×720, read from the back): the class's first-blank draws
// against the hat, known vs made-up entropy, and the stories with their chain-rule numbers.
import type { BlankBarsView, EntropyCompareView, HatFinale, HatStaffView, StoryView } from "@/contract/protocol/hat";
import type { ProjectorProps } from "../types";
import { formatBits, formatJoint, formatPerplexity, formatProb, showToken } from "../../../_lib/format";
import { StoryText } from "./hat-slips";

export function ProjectorHat({ activity, snapshot: session }: ProjectorProps<"hat">) {
  const game = activity.view.game;
  const code = session.session.code;
  const snapshot = activity.view.staff!;
  if (game.status === "starting") return <p className="p-12 text-4xl">Filling the hats…</p>;
  if (game.status === "failed") return <p className="p-12 text-4xl">The hat game could not start: {game.error ?? "the model did not answer"}.</p>;
  const players = snapshot.stories.length + snapshot.moreStories;
  const drawn = snapshot.progress[game.openBlank]?.drawn ?? 0;
  const { dial } = game;
  return (
    <main className="flex h-dvh flex-col gap-3 overflow-hidden px-8 py-4">
      <header className="flex items-baseline justify-between gap-6">
        <h1 className="truncate text-4xl font-extrabold">Mad Libs: {game.title}</h1>
        <p className="shrink-0 text-2xl" aria-live="polite">
          {game.status === "running" ? (
            <>
              Blank <b>{game.openBlank + 1}</b>/{game.blanks} · <b className="tabular-nums">{drawn}</b>/{players} drew
            </>
          ) : (
            "Finished"
          )}{" "}
          · T <b>{dial.temperature}</b> · top-p <b>{dial.topP}</b>
          {dial.topK !== null ? (
            <>
              {" "}
              · top-k <b>{dial.topK}</b>
            </>
          ) : null}{" "}
          · code <b className="font-mono tracking-widest text-hat-300">{code}</b>
        </p>
      </header>
      <div className="grid h-[19.5rem] shrink-0 grid-cols-[1.25fr_1fr] gap-6">
        <section aria-label="The class against the hat" className="min-h-0 rounded-2xl border-2 border-slate-700 p-4">
          <h2 className="text-2xl font-bold">Blank {(snapshot.blankBars?.blank ?? game.openBlank) + 1}: what the class drew vs the hats</h2>
          {snapshot.blankBars ? <BlankChart view={snapshot.blankBars} /> : <p className="mt-4 text-2xl text-slate-300">Waiting for the first slips…</p>}
        </section>
        <section aria-label="Entropy" className="min-h-0 rounded-2xl border-2 border-slate-700 p-4">
          {snapshot.entropy ? <EntropyCompare view={snapshot.entropy} /> : <BlankEntropy snapshot={snapshot} />}
        </section>
      </div>
      <Gallery stories={snapshot.stories} more={snapshot.moreStories} />
    </main>
  );
}

function BlankChart({ view }: { view: BlankBarsView }) {
  const bars = view.bars.slice(0, 4);
  const max = Math.max(1, ...bars.map((b) => Math.max(b.observed, b.expected)), view.other.observed, view.other.expected);
  const rows = [...bars.map((b) => ({ label: showToken(b.text), observed: b.observed, expected: b.expected, mono: true })), { label: "others", observed: view.other.observed, expected: view.other.expected, mono: false }];
  const last = view.convergence.at(-1);
  return (
    <div className="mt-1 flex flex-col gap-2">
      <div className="flex gap-6 text-lg text-slate-300">
        <span>
          <span className="mr-1 inline-block h-4 w-6 rounded-sm bg-hat-400 align-middle" /> drawn
        </span>
        <span>
          <span className="mr-1 inline-block h-4 w-6 rounded-sm border-2 border-dashed border-white align-middle" /> expected from the hat
        </span>
        <span className="ml-auto">{view.draws} draws</span>
      </div>
      <ul className="space-y-1">
        {rows.map((r) => (
          <li key={r.label} className="grid grid-cols-[7.5rem_1fr_6.5rem] items-center gap-3 text-xl leading-7">
            <span className={`truncate ${r.mono ? "font-mono" : "text-slate-300"}`}>{r.label}</span>
            <span className="relative h-7">
              <span className="absolute inset-y-0 left-0 rounded-r bg-hat-400" style={{ width: `${(r.observed / max) * 100}%` }} />
              <span className="absolute inset-y-0 left-0 rounded-r border-2 border-dashed border-white" style={{ width: `${(r.expected / max) * 100}%` }} />
            </span>
            <span className="text-right tabular-nums">
              <b>{r.observed}</b> <span className="text-slate-400">/ {r.expected.toFixed(1)}</span>
            </span>
          </li>
        ))}
      </ul>
      {last ? (
        <div className="flex items-center gap-4">
          <Convergence points={view.convergence} />
          <p className="text-lg leading-snug text-slate-200">
            Distance from the hat after {last.n} draws: <b>{(last.tvd * 100).toFixed(0)}%</b>. More draws, closer to the hat.
          </p>
        </div>
      ) : null}
    </div>
  );
}

/** Total variation distance after each draw: noisy at first, shrinking as the class draws more. */
function Convergence({ points }: { points: { n: number; tvd: number }[] }) {
  const w = 200;
  const h = 48;
  const maxN = Math.max(2, ...points.map((p) => p.n));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${((p.n - 1) / (maxN - 1)) * w},${h - Math.min(1, p.tvd) * h}`).join(" ");
  return (
    <svg width={w} height={h} role="img" aria-label="Distance between the class's draws and the hat, falling as more students draw" className="shrink-0 rounded bg-slate-900">
      <path d={path} fill="none" stroke="#ffbf3f" strokeWidth={3} />
    </svg>
  );
}

function EntropyCompare({ view }: { view: EntropyCompareView }) {
  const sides = [
    { label: "Well known", side: view.known, border: "border-emerald-400" },
    { label: "Made up", side: view.madeUp, border: "border-rose-400" },
  ];
  return (
    <>
      <h2 className="text-2xl font-bold">The model&apos;s uncertainty at blank 1</h2>
      <div className="mt-3 grid grid-cols-2 gap-3">
        {sides.map(({ label, side, border }) => (
          <div key={label} className={`rounded-xl border-4 ${border} p-3`}>
            <p className="text-lg font-semibold uppercase tracking-wide text-slate-300">{label}</p>
            <p className="line-clamp-2 text-lg">{side.prefix} ___</p>
            <p className="mt-1 text-4xl font-black tabular-nums">{formatBits(side.bits)}</p>
            <ul className="mt-1 text-lg">
              {side.top.slice(0, 3).map((t, i) => (
                <li key={i} className="flex justify-between gap-2">
                  <span className="truncate font-mono">{showToken(t.text)}</span>
                  <span className="tabular-nums">{formatProb(t.p)}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      <p className="mt-2 text-lg text-slate-300">More bits = a flatter hat: the model is playing Mad Libs.</p>
    </>
  );
}

function BlankEntropy({ snapshot }: { snapshot: HatStaffView }) {
  return (
    <>
      <h2 className="text-2xl font-bold">How unsure was the model, blank by blank?</h2>
      <ul className="mt-3 space-y-2 text-2xl">
        {snapshot.progress.map((p) => (
          <li key={p.blank} className="flex justify-between">
            <span>Blank {p.blank + 1}</span>
            <span className="tabular-nums">{p.drawn > 0 ? `${formatBits(p.meanEntropyBits)} on average` : "–"}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The stories so far; with many, the most and the least likely ones: same template, very different odds. */
function Gallery({ stories, more }: { stories: StoryView[]; more: number }) {
  // By the mean log-probability per drawn token, so stories with more blanks filled are not penalised.
  const drawn = stories.filter((s) => s.drawn > 0).sort((a, b) => b.log2Prob / b.drawn - a.log2Prob / a.drawn || a.nickname.localeCompare(b.nickname));
  if (drawn.length === 0) return <p className="text-3xl text-slate-300">Stories appear here as slips are drawn.</p>;
  const footer = more > 0 ? `and ${more} more in the room` : null;
  if (drawn.length <= 3) {
    return (
      <section aria-label="Stories" className="min-h-0 flex-1">
        <h2 className="mb-2 text-2xl font-bold">The class&apos;s stories, most likely first</h2>
        <div className="grid grid-cols-3 gap-3">
          {drawn.map((s) => (
            <StoryCard key={s.participantId} story={s} />
          ))}
        </div>
      </section>
    );
  }
  return (
    <section aria-label="Stories" className="grid min-h-0 flex-1 grid-cols-2 gap-4">
      <StoryColumn title="Most likely stories" stories={drawn.slice(0, 2)} />
      <StoryColumn title="Most surprising stories" stories={drawn.slice(-2).reverse()} footer={footer} />
    </section>
  );
}

function StoryCard({ story: s }: { story: StoryView }) {
  return (
    <article className="rounded-xl border-2 border-slate-700 px-3 py-2">
      <StoryText story={s} size="gallery" />
      <p className="text-lg leading-snug text-slate-300">
        <b className="text-slate-100">{s.nickname}</b> · p = <b className="text-slate-100">{formatJoint(s.log2Prob)}</b> · perplexity{" "}
        <b className="text-slate-100">{formatPerplexity(s.perplexity)}</b>
        {s.least && s.drawn > 1 ? (
          <>
            {" "}
            · least likely{" "}
            <span className="font-mono text-rose-200">{showToken(s.least.text)}</span>
            {s.least.fill.trim() !== s.least.text.trim() ? ` (${s.least.fill.trim()})` : ""}{" "}
            {formatProb(s.least.p)}
          </>
        ) : null}
      </p>
    </article>
  );
}

function StoryColumn({ title, stories, footer }: { title: string; stories: StoryView[]; footer?: string | null }) {
  return (
    <div className="flex min-h-0 flex-col gap-2">
      <h2 className="text-2xl font-bold">{title}</h2>
      {stories.map((s) => (
        <StoryCard key={s.participantId} story={s} />
      ))}
      {footer ? <p className="text-lg text-slate-400">{footer}</p> : null}
    </div>
  );
}

export function HatFinaleView({ view }: { view: HatFinale }) {
  return (
    <section className="space-y-4">
      <h2 className="text-4xl font-bold">Stories from the hat: {view.title}</h2>
      <Gallery stories={view.stories} more={0} />
    </section>
  );
}
