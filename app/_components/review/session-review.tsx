"use client";
// Facilitator review of one session: its people, then each activity's part (from the registry), and
// the exports: the JSON, and one CSV table per record type.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { SessionReview } from "@/contract/http/review";
import { api } from "../../_lib/api-client";
import { ACTIVITY_SCREENS } from "../activities/registry";
import { ErrorNote } from "../form-bits";

const linkCls = "inline-flex h-12 items-center rounded-xl border-2 border-slate-500 px-4 text-lg font-semibold hover:border-hat-400";

export function SessionReviewView({ code }: { code: string }) {
  const [data, setData] = useState<{ review: SessionReview; tables: { name: string; rows: number }[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api<{ review: SessionReview; tables: { name: string; rows: number }[] }>("GET", `/api/sessions/${code}/review`).then((r) => (r.ok ? setData(r.data) : setError(r.message)));
  }, [code]);

  if (error)
    return (
      <main className="mx-auto max-w-xl space-y-4 p-8 text-xl">
        <ErrorNote message={error} />
        <Link href="/signin" className="text-hat-300 underline">
          Sign in
        </Link>
      </main>
    );
  if (!data) return <main className="p-8 text-xl">Loading…</main>;
  const { review, tables } = data;

  return (
    <main className="mx-auto w-full max-w-6xl space-y-8 px-5 py-8">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-extrabold">{review.room.title}</h1>
          <p className="text-lg text-slate-300">
            Room <span className="font-mono">{review.room.code}</span> · {new Date(review.room.createdAt).toLocaleString()} · {review.participants.filter((p) => !p.kicked).length} students ·{" "}
            {review.rounds.length} rounds · {review.hatGames.length} hat games
          </p>
          <p className="text-base text-slate-400">
            Model {review.room.model.name} (<span className="font-mono">{review.room.model.id}</span>, SHA-256 <span className="font-mono">{review.room.model.sha256.slice(0, 12)}…</span>)
            {review.plan ? ` · lesson plan “${review.plan.title}”` : ""}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href={`/api/sessions/${review.room.code}/export.json`} download className={linkCls}>
            Download JSON
          </a>
          <Link href="/dashboard" className={linkCls}>
            Dashboard
          </Link>
        </div>
      </header>

      <section aria-label="Spreadsheet exports" className="rounded-2xl border-2 border-slate-700 p-5">
        <h2 className="text-2xl font-bold">Spreadsheets (CSV), one table per kind of record</h2>
        <ul className="mt-2 flex flex-wrap gap-2">
          {tables.map((t) => (
            <li key={t.name}>
              <a href={`/api/sessions/${review.room.code}/export/${t.name}.csv`} download className={linkCls}>
                {t.name.replace(/_/g, " ")} ({t.rows})
              </a>
            </li>
          ))}
        </ul>
      </section>

      {(Object.keys(ACTIVITY_SCREENS) as (keyof typeof ACTIVITY_SCREENS)[]).map((k) => {
        const Review = ACTIVITY_SCREENS[k].Review;
        return Review ? <Review key={k} review={review} /> : null;
      })}
    </main>
  );
}
