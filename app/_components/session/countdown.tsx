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
  const seconds = Math.ceil(ms / 1000);
  return (
    <span className="tabular-nums" role="timer" aria-label={`${seconds} seconds left`}>
      {seconds} s{endsAt === null ? " (paused)" : ""}
    </span>
  );
}
