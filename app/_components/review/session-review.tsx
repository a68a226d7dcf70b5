"use client";
// Facilitator review of one session: its people, then each activity's part (from the registry), and
// the exports: the JSON, and one CSV table per record type.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { SessionReview } from "@/contract/http/review";
import { api } from "../../_lib/api-client";
import { formatBits } from "../../_lib/format";
import { ACTIVITY_SCREENS } from "../activities/registry";
import { ErrorNote } from "../form-bits";

const linkCls = "inline-flex h-12 items-center rounded-xl border-2 border-slate-500 px-4 text-lg font-semibold hover:border-hat-400";

const cell = "py-1 pr-3";

/** Everyone who joined; removed students are marked and not counted as present. */
function StudentsTable({ review }: { review: SessionReview }) {
  const people = [...review.participants].sort((a, b) => Number(a.kicked) - Number(b.kicked) || a.nickname.localeCompare(b.nickname));
  if (people.length === 0) return null;
  return (
    <section className="rounded-2xl border-2 border-slate-700 p-5" aria-label="Students">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[36rem] text-left text-base">
          <caption className="mb-2 text-left text-2xl font-bold">
            Students ({review.participants.filter((p) => !p.kicked).length} present{people.some((p) => p.kicked) ? `, ${people.filter((p) => p.kicked).length} removed` : ""})
          </caption>
          <thead className="text-slate-400">
            <tr>
              <th className={cell}>Nickname</th>
              <th className={cell}>Status</th>
              <th className={cell}>Joined</th>
              <th className={`${cell} text-right`}>Rounds scored</th>
              <th className={`${cell} text-right`}>Average surprise</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-800">
            {people.map((p) => (
              <tr key={p.id} className={p.kicked ? "text-slate-400" : ""}>
                <td className={cell}>{p.nickname}</td>
                <td className={cell}>{p.kicked ? "removed by the host" : "present"}</td>
                <td className={`${cell} tabular-nums`}>{new Date(p.joinedAt).toLocaleTimeString()}</td>
                <td className={`${cell} text-right tabular-nums`}>{p.roundsScored}</td>
                <td className={`${cell} text-right tabular-nums`}>{p.roundsScored ? formatBits(p.totalLossBits / p.roundsScored) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Deleting is for good, so it takes a second, explicit press, and says what goes. */
function DeleteSession({ review }: { review: SessionReview }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    const r = await api<{ deleted: string }>("DELETE", `/api/sessions/${review.room.code}`);
    setBusy(false);
    if (r.ok) router.push("/dashboard");
    else setError(r.message);
  };
  return (
    <section aria-label="Delete this session" className="rounded-2xl border-2 border-rose-800 p-5">
      <h2 className="text-2xl font-bold">Delete this session</h2>
      <p className="mt-1 text-lg text-slate-300">
        Removes the session and everything stored about its {review.participants.length} students (nicknames, guesses, written texts, hat draws) from the database. It cannot be undone:
        download the JSON first if you want to keep a copy.
      </p>
      {asking ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="button" disabled={busy} onClick={() => void remove()} className="h-12 rounded-xl bg-rose-700 px-4 text-lg font-bold text-white hover:bg-rose-600 disabled:opacity-60">
            {busy ? "Deleting…" : `Yes, delete ${review.room.code} for good`}
          </button>
          <button type="button" onClick={() => setAsking(false)} className={linkCls}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setAsking(true)} className={`${linkCls} mt-3 border-rose-700`}>
          Delete session…
        </button>
      )}
      {error ? <ErrorNote message={error} /> : null}
    </section>
  );
}

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

      <StudentsTable review={review} />

      {(Object.keys(ACTIVITY_SCREENS) as (keyof typeof ACTIVITY_SCREENS)[]).map((k) => {
        const Review = ACTIVITY_SCREENS[k].Review;
        return Review ? <Review key={k} review={review} /> : null;
      })}

      <DeleteSession review={review} />
    </main>
  );
}
