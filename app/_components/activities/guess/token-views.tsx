// Token-level displays shared by phones, the host console and the projector.
import type { DistributionView, TokenProbView, TokenView } from "@/contract/protocol/guess";
import { entropyMeaning, formatBits, formatProb, showToken, tokenLabels } from "../../../_lib/format";

/** Text split into its tokens, each in its own box, so boundaries are visible without color. */
export function TokenBoxes({ tokens, size = "md" }: { tokens: TokenView[]; size?: "md" | "xl" }) {
  const visible = tokens.filter((t) => !t.special);
  const labels = tokenLabels(visible.map((t) => t.text));
  const text = size === "xl" ? "text-4xl leading-[1.6]" : "text-lg leading-[1.9]";
  return (
    <p className={`${text} break-words`}>
      <span className="sr-only">{visible.map((t) => t.text).join("")}</span>
      {visible.map((t, i) => (
        <span
          key={i}
          aria-hidden
          className={`mx-px inline-block whitespace-pre rounded-md border px-0.5 font-mono ${i % 2 ? "border-sky-400/70 bg-sky-950/60" : "border-amber-300/70 bg-amber-950/50"}`}
        >
          {labels[i]}
        </span>
      ))}
    </p>
  );
}

/** Horizontal bars on an absolute 0–100% scale, with the probability written out. */
export function ProbBars({
  tokens,
  highlight,
  big = false,
  label,
  annotate,
}: {
  tokens: TokenProbView[];
  highlight?: number | null;
  big?: boolean;
  label: string;
  /** Extra text after the probability, e.g. how often training saw the phrase. */
  annotate?: (token: TokenProbView) => React.ReactNode;
}) {
  return (
    <ol aria-label={label} className={big ? "space-y-1.5" : "space-y-1"}>
      {tokens.map((t, i) => (
        <li key={`${t.id}-${i}`} className={`grid items-center gap-3 ${big ? "grid-cols-[11rem_1fr_8rem] text-2xl" : "grid-cols-[7rem_1fr_4.5rem] text-base"}`}>
          <span className={`truncate font-mono ${t.id === highlight ? "font-bold text-hat-300" : ""}`}>
            {t.id === highlight ? "▶ " : ""}
            {showToken(t.text)}
          </span>
          <span className={`${big ? "h-7" : "h-4"} rounded-sm bg-slate-800`}>
            <span className={`block h-full rounded-sm ${t.id === highlight ? "bg-hat-400" : "bg-sky-400"}`} style={{ width: `${Math.max(1, t.p * 100)}%` }} />
          </span>
          <span className="text-right tabular-nums">
            {formatProb(t.p)}
            {annotate ? <span className={`block ${big ? "text-base" : "text-xs"}`}>{annotate(t)}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function DistributionSummary({ distribution, big = false }: { distribution: DistributionView; big?: boolean }) {
  return (
    <dl className={`flex flex-wrap gap-x-6 gap-y-1 ${big ? "text-2xl" : "text-base"}`}>
      <div>
        <dt className="inline text-slate-400">Entropy </dt>
        <dd className="inline font-bold tabular-nums">{formatBits(distribution.entropyBits)}</dd>
        <dd className="block text-slate-300">{entropyMeaning(distribution.entropyBits)}</dd>
      </div>
      <div>
        <dt className="inline text-slate-400">All other {distribution.vocabSize - distribution.top.length} tokens </dt>
        <dd className="inline font-bold tabular-nums">{formatProb(distribution.restMass)}</dd>
      </div>
    </dl>
  );
}
