"use client";
// A hat drawn as 100 slips, with the real counts out of 10,000 beside them. Each of the most likely
// tokens has a colour and a letter key, so colour is never the only cue.
import type { HatView, StoryView } from "@/contract/protocol/hat";
import { formatProb, showToken } from "../../../_lib/format";

/** Light colours readable with dark text; "other" slips are grey with a dot. */
const COLOURS = ["#ffbf3f", "#7dd3fc", "#86efac", "#f9a8d4", "#c4b5fd", "#fdba74", "#5eead4", "#fca5a5"];
const KEYS = "ABCDEFGH";
export const KEYED_TOKENS = COLOURS.length;

export const slipColour = (rank: number) => COLOURS[rank] ?? "#64748b";
export const slipKey = (rank: number) => KEYS[rank] ?? "·";

const grouped = (n: number) => n.toLocaleString("en-US");

/** The 100 visual slips in hat order: runs of the same token, most likely first. */
export function SlipGrid({ hat, highlight }: { hat: HatView; highlight?: number | null }) {
  const cells: { rank: number; id: number; text: string }[] = [];
  hat.slips.forEach((slip, rank) => {
    for (let i = 0; i < slip.visual; i++) cells.push({ rank, id: slip.id, text: slip.text });
  });
  return (
    <div
      role="img"
      aria-label={`A hat of 100 slips: ${hat.slips
        .filter((s) => s.visual > 0)
        .slice(0, 5)
        .map((s) => `${s.visual} say ${showToken(s.text)}`)
        .join(", ")}`}
      className="grid grid-cols-10 gap-[3px]"
    >
      {cells.map((cell, i) => {
        const keyed = cell.rank < KEYED_TOKENS;
        const lit = highlight !== undefined && highlight !== null && cell.id === highlight;
        return (
          <span
            key={i}
            data-token={cell.id}
            className={`flex aspect-[4/3] items-center justify-center rounded-[3px] text-[11px] font-black leading-none text-ink ${lit ? "outline outline-2 outline-offset-1 outline-white" : ""}`}
            style={{ background: keyed ? slipColour(cell.rank) : "#475569", color: keyed ? "#0b1020" : "#e2e8f0" }}
          >
            {slipKey(cell.rank)}
          </span>
        );
      })}
    </div>
  );
}

/** The tokens with their slips out of 10,000, a bar for each, and the keys of the grid. */
export function SlipLegend({ hat, rows = 8 }: { hat: HatView; rows?: number }) {
  const shown = hat.slips.slice(0, rows);
  const rest = hat.slips.slice(rows);
  const restCount = rest.reduce((a, s) => a + s.count, 0) + hat.others.count;
  const restTokens = rest.length + hat.others.tokens;
  return (
    <table className="w-full border-separate border-spacing-y-1 text-base">
      <caption className="sr-only">Slips per token, out of {grouped(hat.total)}</caption>
      <thead>
        <tr className="text-left text-sm text-slate-400">
          <th scope="col" className="w-7 font-normal">
            <span className="sr-only">Key</span>
          </th>
          <th scope="col" className="font-normal">
            Token
          </th>
          <th scope="col" className="text-right font-normal">
            slips of {grouped(hat.total)}
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((slip, rank) => (
          <tr key={slip.id}>
            <td>
              <span className="inline-flex h-6 w-6 items-center justify-center rounded text-sm font-black text-ink" style={{ background: slipColour(rank) }}>
                {slipKey(rank)}
              </span>
            </td>
            <td className="max-w-0 truncate font-mono text-lg">{showToken(slip.text)}</td>
            <td className="whitespace-nowrap text-right tabular-nums">
              <b className="text-lg">{grouped(slip.count)}</b> <span className="text-sm text-slate-400">({formatProb(slip.count / hat.total)})</span>
            </td>
          </tr>
        ))}
        {restCount > 0 ? (
          <tr>
            <td>
              <span className="inline-flex h-6 w-6 items-center justify-center rounded bg-slate-600 text-sm font-black text-slate-100">·</span>
            </td>
            <td className="text-slate-300">
              {grouped(restTokens)} other token{restTokens === 1 ? "" : "s"}
            </td>
            <td className="text-right tabular-nums">
              <b className="text-lg">{grouped(restCount)}</b>
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/** What is not in the hat: cut by top-k/top-p, too rare for a slip, or not a word at all. */
export function HatOutside({ hat }: { hat: HatView }) {
  const { dial, cut, tooRare, nonWordMass } = hat;
  const lines: React.ReactNode[] = [];
  if (cut.tokens > 0) {
    const by = [dial.topK !== null ? `top-k ${dial.topK}` : null, dial.topP < 1 ? `top-p ${dial.topP}` : null].filter(Boolean).join(" and ");
    lines.push(
      <li key="cut" className="rounded-lg border-2 border-dashed border-rose-400 p-2">
        <b>Cut off by {by}:</b> {grouped(cut.tokens)} tokens holding {formatProb(cut.mass)} of the probability, e.g.{" "}
        {cut.first.map((c, i) => (
          <span key={i} className="mr-1 font-mono line-through decoration-rose-400 decoration-2">
            {showToken(c.text)}
          </span>
        ))}
      </li>,
    );
  }
  if (tooRare.tokens > 0) lines.push(<li key="rare">{grouped(tooRare.tokens)} more tokens are too rare for even one slip in 10,000 ({formatProb(tooRare.q)} together).</li>);
  if (nonWordMass >= 0.0005) lines.push(<li key="nonword">End-of-text and line breaks ({formatProb(nonWordMass)}) are not words, so they are not in the hat.</li>);
  if (lines.length === 0) return null;
  return <ul className="space-y-1 text-sm text-slate-300">{lines}</ul>;
}

/** A story with its drawn words marked, the current blank shown, and the least likely draw flagged. */
/**
 * The story with its long stretches of template shortened around the blanks, so a projector card
 * shows what was drawn: "…capital of France is [Paris], the capital…".
 */
function excerpt(pieces: StoryView["pieces"], keep = 12): StoryView["pieces"] {
  return pieces.map((piece, i) => {
    if (piece.kind !== "text" || piece.text.length <= keep * 2 + 3) return piece;
    const first = i === 0;
    const last = i === pieces.length - 1;
    const head = piece.text.slice(0, keep).replace(/\s+\S*$/, "");
    const tail = piece.text.slice(-keep).replace(/^\S*\s+/, " ");
    return { kind: "text", text: first ? `…${tail}` : last ? `${head}…` : `${head} …${tail}` };
  });
}

const STORY_SIZE = { phone: "text-xl leading-relaxed", gallery: "text-xl leading-snug", stage: "text-stage-s leading-snug" };

export function StoryText({ story, current, size = "phone" }: { story: StoryView; current?: number | null; size?: keyof typeof STORY_SIZE }) {
  return (
    <p className={STORY_SIZE[size]}>
      {(size === "stage" ? excerpt(story.pieces) : story.pieces).map((piece, i) => {
        if (piece.kind === "text") return <span key={i}>{piece.text}</span>;
        if (piece.kind === "blank")
          return (
            <span
              key={i}
              className={`mx-1 inline-block ${size === "stage" ? "min-w-[8vh]" : "min-w-[3.5rem]"} border-b-4 align-baseline ${piece.blank === current ? "border-hat-400 bg-hat-400/20" : "border-slate-500"}`}
            >
              <span className="sr-only">{`blank ${piece.blank + 1}${piece.blank === current ? ", yours to draw" : ""}`}</span>
              &nbsp;
            </span>
          );
        const lead = /^\s*/.exec(piece.text)?.[0] ?? "";
        return (
          <span key={i}>
            {lead}
          <mark
            className={`rounded px-0.5 font-bold ${piece.least ? "bg-rose-500/30 text-rose-100 underline decoration-rose-400 decoration-wavy" : "bg-hat-400/25 text-hat-50"}`}
            title={`model probability ${formatProb(piece.p)}`}
          >
            {piece.text.slice(lead.length) || "∅"}
            {piece.least ? <span className="sr-only"> (least likely draw)</span> : null}
          </mark>
          </span>
        );
      })}
    </p>
  );
}
