"use client";
// The facilitators' plots, drawn by Recharts as SVG with its accessibility layer (keyboard focus and
// spoken values). Each sits in a <figure> with a caption that says what to look for; the same
// numbers are in the tables and CSV files beside it.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReviewRound } from "@/contract/http/review";
import type { HatGameReview } from "@/contract/http/review";
import { showToken } from "../../_lib/format";

const AXIS = { stroke: "#cbd5e1", fontSize: 14 };
const GRID = "#334155";
const TOOLTIP = { contentStyle: { background: "#0f172a", border: "1px solid #475569" }, labelStyle: { color: "#f8fafc" } };
const percent = (v: number) => `${Math.round(v * 100)}%`;

function Chart({ caption, height = 260, children }: { caption: string; height?: number; children: React.ReactElement }) {
  return (
    <figure className="space-y-2">
      <div style={{ height }} role="img" aria-label={caption}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption className="text-base text-slate-300">{caption}</figcaption>
    </figure>
  );
}

/** One round: the share of the class's votes for each token beside the model's probability for it, on 0–100%. */
export function RoundChart({ round }: { round: ReviewRound }) {
  if (!round.distribution || round.histogram.length === 0) return null;
  const byId = new Map<number, { token: string; class: number; model: number }>();
  for (const bar of round.histogram.slice(0, 8)) byId.set(bar.tokenId, { token: showToken(bar.text), class: bar.share, model: bar.modelP });
  for (const t of round.distribution.top) {
    if (byId.size >= 10) break;
    if (!byId.has(t.id)) byId.set(t.id, { token: showToken(t.text), class: 0, model: t.p });
  }
  const data = [...byId.values()];
  return (
    <Chart caption={`Round ${round.number}: the class's share of votes (yellow) and the model's probability (blue) for each token, on one 0–100% scale.`}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="token" tick={AXIS} interval={0} />
        <YAxis domain={[0, 1]} tickFormatter={percent} tick={AXIS} />
        <Tooltip formatter={(v) => percent(Number(v))} {...TOOLTIP} />
        <Legend />
        <Bar dataKey="class" name="class votes" fill="#ffbf3f" />
        <Bar dataKey="model" name="model probability" fill="#38bdf8" />
      </BarChart>
    </Chart>
  );
}

const LINE_COLOURS = ["#38bdf8", "#f472b6", "#a3e635", "#fb923c", "#c084fc", "#2dd4bf", "#facc15", "#f87171"];

/** Each student's surprise (bits) round by round, with the class mean; lower = guessed more like the model. */
export function SurpriseChart({ rounds, students }: { rounds: ReviewRound[]; students: { id: string; nickname: string }[] }) {
  const scored = rounds.filter((r) => r.kind === "guess" && Object.keys(r.results).length > 0);
  if (scored.length === 0) return null;
  // A line each for up to eight students keeps the plot readable; the table below has everyone.
  const shown = students.slice(0, LINE_COLOURS.length);
  const data = scored.map((r) => {
    const row: Record<string, number | string | null> = { round: `Round ${r.number}` };
    const bits = Object.values(r.results).map((x) => x.surpriseBits);
    row.mean = bits.reduce((a, b) => a + b, 0) / bits.length;
    for (const s of shown) row[s.id] = r.results[s.id]?.surpriseBits ?? null;
    return row;
  });
  return (
    <Chart height={300} caption={`Surprise in bits per round: each line is a student${students.length > shown.length ? ` (the first ${shown.length})` : ""}, the thick white line the class mean. Lower means the guess was closer to what the model expected.`}>
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer>
        <CartesianGrid stroke={GRID} />
        <XAxis dataKey="round" tick={AXIS} />
        <YAxis tick={AXIS} label={{ value: "bits", angle: -90, position: "insideLeft", fill: "#cbd5e1" }} />
        <Tooltip formatter={(v) => `${Number(v).toFixed(1)} bits`} {...TOOLTIP} />
        <Legend />
        {shown.map((s, i) => (
          <Line key={s.id} dataKey={s.id} name={s.nickname} stroke={LINE_COLOURS[i]} connectNulls dot />
        ))}
        <Line dataKey="mean" name="class mean" stroke="#f8fafc" strokeWidth={4} dot={false} />
      </LineChart>
    </Chart>
  );
}

/** One hat game blank: how often each token was drawn against how often the hats said it would be. */
export function HatDrawsChart({ game, blank }: { game: HatGameReview; blank: number }) {
  const draws = game.draws.filter((d) => d.blank === blank);
  if (draws.length === 0) return null;
  const rows = new Map<string, { token: string; drawn: number; expected: number }>();
  const row = (text: string) => rows.get(text) ?? rows.set(text, { token: showToken(text), drawn: 0, expected: 0 }).get(text)!;
  for (const d of draws) {
    row(d.tokens[0]!.text).drawn += 1;
    for (const t of d.hat.top) row(t.text).expected += t.count / 10_000;
  }
  const data = [...rows.values()].sort((a, b) => Math.max(b.drawn, b.expected) - Math.max(a.drawn, a.expected)).slice(0, 10);
  return (
    <Chart caption={`Blank ${blank + 1}: times each token was drawn (yellow) against the times the students' hats predicted (blue), over ${draws.length} draws.`}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="token" tick={AXIS} interval={0} />
        <YAxis tick={AXIS} allowDecimals={false} />
        <Tooltip formatter={(v) => Number(v).toFixed(1)} {...TOOLTIP} />
        <Legend />
        <Bar dataKey="drawn" name="drawn" fill="#ffbf3f" />
        <Bar dataKey="expected" name="expected from the hats" fill="#38bdf8" />
      </BarChart>
    </Chart>
  );
}
