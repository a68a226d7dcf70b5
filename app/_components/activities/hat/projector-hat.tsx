"use client";
// The hat game on the projector: the hat for the blank being filled (reshaped live when the host
// turns the dial), what the class drew against what the hats predicted, and the stories, a page at
// a time, finished ones apart from those still being drawn.
import type { BlankBarsView, HatFinale, HatView, StoryView } from "@/contract/protocol/hat";
import { entropyMeaning, formatBits, formatJoint, formatPerplexity, formatProb, perplexityMeaning, showToken } from "../../../_lib/format";
import type { ReactNode } from "react";
import { Pager, pagesOf } from "../../stage/pager";
import { Figure, StageBars, StagePanel } from "../../stage/stage-kit";
import type { ProjectorProps } from "../types";
import { StoryText } from "./hat-slips";

export function ProjectorHat({ activity, live, people }: ProjectorProps<"hat">) {
  const game = activity.view.game;
  const staff = activity.view.staff!;
  if (game.status === "starting") return <p className="text-stage-l">Filling the hats…</p>;
  if (game.status === "failed") return <p className="text-stage-l">The hat game could not start: {game.error ?? "the model did not answer"}.</p>;
  const drawn = live?.drawn ?? staff.progress[game.openBlank]?.drawn ?? 0;
  const { dial } = game;
  // While a blank is being drawn the hat is on the screen; once everyone has drawn it, the stories.
  const showStories = game.status === "finished" || (people > 0 && drawn >= people);
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-[1.8vh]">
      <p className="text-stage-m">
        <b>Mad Libs: {game.title}</b>
        <span className="ml-[1.5vw] text-slate-200">
          {game.status === "running" ? `blank ${game.openBlank + 1} of ${game.blanks} · ${drawn} of ${people} drew` : "finished"}
        </span>
      </p>
      {staff.entropy ? (
        <p className="text-stage-s text-slate-200">
          The model&apos;s uncertainty at blank 1: <b className="text-emerald-300">{formatBits(staff.entropy.known.bits)}</b> after a well-known name,{" "}
          <b className="text-rose-300">{formatBits(staff.entropy.madeUp.bits)}</b> after a made-up one. More bits, flatter hat: Mad Libs.
        </p>
      ) : null}
      {showStories ? (
        <StoryPages stories={staff.stories} more={staff.moreStories} blanks={game.blanks} perPage={4} />
      ) : (
        <div className="grid min-h-0 grid-cols-2 gap-[2vw]">
          <StagePanel title={`The hat for blank ${game.openBlank + 1}`} label="The hat">
            <p className="text-stage-s text-slate-200">
              Dial: temperature <b>{dial.temperature}</b> · top-p <b>{dial.topP}</b> · top-k <b>{dial.topK ?? "off"}</b>
            </p>
            {staff.sampleHat ? <HatShape hat={staff.sampleHat.hat} nickname={game.openBlank > 0 ? staff.sampleHat.nickname : null} /> : <p className="text-stage-s">The hats are being filled…</p>}
          </StagePanel>
          <StagePanel title={`What the class drew${staff.blankBars ? ` (${staff.blankBars.draws})` : ""} vs the hats`} label="The class against the hats">
            {staff.blankBars && staff.blankBars.draws > 0 ? <DrawsAgainstHats view={staff.blankBars} /> : <p className="text-stage-s">Draw a slip on your phone!</p>}
          </StagePanel>
        </div>
      )}
    </div>
  );
}

/** The hat as slips: each token's share of the 10,000, on the absolute scale; flat when the dial is hot. */
function HatShape({ hat, nickname }: { hat: HatView; nickname: string | null }) {
  const shown = hat.slips.slice(0, 3);
  const rest = hat.total - shown.reduce((n, s) => n + s.count, 0);
  return (
    <>
      <StageBars
        label="Slips in the hat"
        color="bg-sky-400"
        bars={[
          ...shown.map((s) => ({ key: s.id, label: showToken(s.text), share: s.count / hat.total, value: formatProb(s.count / hat.total) })),
          { key: "rest", label: "all others", share: rest / hat.total, value: formatProb(rest / hat.total) },
        ]}
      />
      <p className="text-stage-s text-slate-200">
        {formatBits(hat.entropyBits)}: {entropyMeaning(hat.entropyBits)}
        {nickname ? ` (${nickname}'s hat: each story has its own from blank 2 on)` : ""}
      </p>
    </>
  );
}

/** Draws of the blank being filled (share of the draws) against what the hats predicted. */
function DrawsAgainstHats({ view }: { view: BlankBarsView }) {
  // The tokens the class drew most or the hats expected most: a few single draws of rare tokens stay in "all others".
  const top = [...view.bars].sort((a, b) => Math.max(b.observed, b.expected) - Math.max(a.observed, a.expected)).slice(0, 3);
  const listed = { observed: top.reduce((n, b) => n + b.observed, 0), expected: top.reduce((n, b) => n + b.expected, 0) };
  const rows = [...top, { text: "", observed: view.draws - listed.observed, expected: Math.max(0, view.draws - listed.expected) }];
  return (
    <>
      <StageBars
        label="Draws against the hats"
        color="bg-hat-400"
        bars={rows.map((r, i) => ({
          key: i,
          label: r.text === "" ? "all others" : showToken(r.text),
          share: r.observed / view.draws,
          value: `${r.observed}`,
          note: `expected ${r.expected.toFixed(1)}`,
        }))}
      />
    </>
  );
}

function StoryCard({ story: s }: { story: StoryView }) {
  // The least likely draw is marked in the story itself (wavy underline); the card adds who and how likely.
  return (
    <article className="flex min-w-0 flex-col gap-[0.6vh] rounded-[1.2vh] border-[0.3vh] border-slate-700 px-[1vw] py-[1vh]">
      <StoryText story={s} size="stage" />
      <p className="text-stage-s text-slate-200">
        <b className="text-white">{s.nickname}</b> · chance {s.drawn ? formatJoint(s.log2Prob) : "–"}
      </p>
    </article>
  );
}

/** Finished stories first, those still being drawn apart, cut into pages of a few. */
function storyGroups(stories: StoryView[], blanks: number, perPage: number): { title: string; page: StoryView[] }[] {
  const started = stories.filter((s) => s.drawn > 0);
  const finished = started.filter((s) => s.drawn >= blanks);
  const drawing = started.filter((s) => s.drawn < blanks);
  const group = (list: StoryView[], name: string) =>
    pagesOf(list, perPage).map((page, i, all) => ({ title: `${name} (${list.length})${all.length > 1 ? `, page ${i + 1} of ${all.length}` : ""}`, page }));
  return [...group(finished, "Finished stories"), ...group(drawing, "Still drawing")];
}

function StoryGrid({ title, stories, more }: { title: string; stories: StoryView[]; more: number }) {
  return (
    <div className="flex flex-col gap-[1vh]">
      <h2 className="text-stage-s font-bold">
        {title}
        {more > 0 ? ` · ${more} more in the room` : ""}
      </h2>
      <div className="grid grid-cols-2 gap-[1.2vw]">
        {stories.map((s) => (
          <StoryCard key={s.participantId} story={s} />
        ))}
      </div>
    </div>
  );
}

function StoryPages({ stories, more, blanks, perPage }: { stories: StoryView[]; more: number; blanks: number; perPage: number }) {
  const groups = storyGroups(stories, blanks, perPage);
  if (groups.length === 0) return <p className="text-stage-m text-slate-200">Stories appear here as slips are drawn.</p>;
  return <Pager label="Stories" seconds={8} pages={groups.map((g) => <StoryGrid key={g.title} title={g.title} stories={g.page} more={more} />)} />;
}

/** The end of the session: the most likely and the most surprising story, then every story, four a page. */
export function hatFinalePages(view: HatFinale): ReactNode[] {
  const perToken = (s: StoryView) => s.log2Prob / Math.max(1, s.drawn);
  const byChance = [...view.stories].sort((a, b) => perToken(b) - perToken(a));
  const best = byChance[0];
  const surprising = byChance.at(-1);
  const blanks = Math.max(...view.stories.map((s) => s.pieces.filter((p) => p.kind !== "text").length));
  const heading = <h2 className="text-stage-l font-bold">Stories from the hat: {view.title}</h2>;
  const first =
    best && surprising && best !== surprising ? (
      <div key="hat-best" className="flex min-h-0 flex-1 flex-col gap-[2vh]">
        {heading}
        <div className="grid grid-cols-2 gap-[2vw]">
          <Figure label="Most likely story, per token" value={best.nickname} meaning={`perplexity ${formatPerplexity(best.perplexity)}: ${perplexityMeaning(best.perplexity)}`} tone="text-emerald-300" />
          <Figure label="Most surprising story" value={surprising.nickname} meaning={`perplexity ${formatPerplexity(surprising.perplexity)}: ${perplexityMeaning(surprising.perplexity)}`} tone="text-rose-300" />
        </div>
        <StoryGrid title="The two of them" stories={[best, surprising]} more={0} />
      </div>
    ) : null;
  const rest = storyGroups(view.stories, blanks, 4).map((g) => (
    <div key={g.title} className="flex min-h-0 flex-1 flex-col gap-[2vh]">
      {heading}
      <StoryGrid title={g.title} stories={g.page} more={0} />
    </div>
  ));
  return first ? [first, ...rest] : rest;
}
