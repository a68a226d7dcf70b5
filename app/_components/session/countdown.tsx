"use client";
// Seconds left in a timed round, ticking on the client from the server's end time.
import { useEffect, useState } from "react";

export function Countdown({ endsAt, remainingMs }: { endsAt: number | null; remainingMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  const ms = endsAt === null ? remainingMs : Math.max(0, endsAt - now);
  return <span className="ml-6 tabular-nums text-slate-300">· {Math.ceil(ms / 1000)} s left</span>;
}
