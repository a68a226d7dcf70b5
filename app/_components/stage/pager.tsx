"use client";
// More than fits one projector screen (30 stories, every text of a session) is shown a page at a
// time, turning by itself; the arrow keys turn it too. Nothing scrolls on a projector.
import { useEffect, useState, type ReactNode } from "react";

export function Pager({ pages, seconds = 10, label }: { pages: ReactNode[]; seconds?: number; label: string }) {
  const [index, setIndex] = useState(0);
  const count = pages.length;
  useEffect(() => {
    if (count < 2) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % count), seconds * 1000);
    const keys = (e: KeyboardEvent) => {
      if (e.key === "ArrowRight") setIndex((i) => (i + 1) % count);
      if (e.key === "ArrowLeft") setIndex((i) => (i - 1 + count) % count);
    };
    window.addEventListener("keydown", keys);
    return () => {
      clearInterval(timer);
      window.removeEventListener("keydown", keys);
    };
  }, [count, seconds]);
  const shown = Math.min(index, count - 1);
  return (
    <section aria-label={label} className="flex min-h-0 flex-1 flex-col gap-[1.5vh]">
      <div className="min-h-0 flex-1">{pages[shown]}</div>
      {count > 1 ? (
        <p className="text-stage-s text-slate-300" aria-live="off">
          Page {shown + 1} of {count}
          <span aria-hidden className="ml-[1vw] tracking-[0.3em]">
            {pages.map((_, i) => (i === shown ? "●" : "○")).join("")}
          </span>
        </p>
      ) : null}
    </section>
  );
}

/** Splits a list into pages of `size`. */
export function pagesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
