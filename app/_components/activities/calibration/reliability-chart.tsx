"use client";
// The reliability diagram, drawn by Recharts: stated confidence across, fraction right up, one dot
// per 10% bin (bigger for more answers), and the diagonal where a well-calibrated answerer sits.
// Text sizes follow the window height, so the projector's axes read from the back of the room.
import { useEffect, useState } from "react";
import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, XAxis, YAxis, ZAxis } from "recharts";
import type { BinView } from "@/contract/protocol/calibration";

const percent = (v: number) => `${Math.round(v * 100)}%`;
const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

function useFontPx(vh: number, fallback: number) {
  const [px, setPx] = useState(fallback);
  useEffect(() => {
    const update = () => setPx(Math.round((window.innerHeight * vh) / 100));
    update();
    window.addEventListener("resize", update);
    return () => window.removeEventListener("resize", update);
  }, [vh]);
  return px;
}

export function ReliabilityChart({ bins, color, label, stage = false }: { bins: BinView[]; color: string; label: string; stage?: boolean }) {
  const font = useFontPx(stage ? 3.6 : 2, 14);
  const points = bins.map((b) => ({ x: b.meanConfidence, y: b.fractionRight, n: b.n }));
  const tick = { fill: "#e2e8f0", fontSize: font };
  return (
    <div className="h-full min-h-0 w-full" role="img" aria-label={`${label}: ${bins.map((b) => `said ${percent(b.meanConfidence)}, right ${percent(b.fractionRight)} of ${b.n}`).join("; ") || "no answers"}`}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart margin={{ top: font, right: font * 1.2, bottom: font * 1.6, left: font / 2 }}>
          <CartesianGrid stroke="#334155" />
          <XAxis type="number" dataKey="x" domain={[0, 1]} ticks={[0.5, 1]} tickFormatter={percent} tick={tick} stroke="#94a3b8" label={{ value: "how sure", position: "insideBottom", offset: -font * 1.3, fill: "#cbd5e1", fontSize: font }} />
          <YAxis type="number" dataKey="y" domain={[0, 1]} ticks={[0, 0.5, 1]} tickFormatter={percent} tick={tick} stroke="#94a3b8" width={font * 3.6} />
          <ZAxis type="number" dataKey="n" range={[font * 6, font * 40]} />
          <Line data={DIAGONAL} dataKey="y" stroke="#94a3b8" strokeDasharray="8 6" strokeWidth={2} dot={false} isAnimationActive={false} legendType="none" />
          <Scatter data={points} fill={color} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
