"use client";
// Past and running sessions, with the ways into each: host console, projector, review.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { SessionListEntry } from "@/contract/http/sessions";
import { api } from "../_lib/api-client";

const linkCls = "rounded-lg border-2 border-slate-600 px-3 py-1 text-base font-semibold hover:border-hat-400";

export function SessionList({ canHost }: { canHost: boolean }) {
  const [rooms, setRooms] = useState<SessionListEntry[] | null>(null);
  useEffect(() => {
    void api<{ sessions: SessionListEntry[] }>("GET", "/api/sessions").then((r) => setRooms(r.ok ? r.data.sessions : []));
  }, []);

  return (
    <section aria-labelledby="sessions-heading" className="rounded-2xl border-2 border-slate-700 p-5">
      <h2 id="sessions-heading" className="text-2xl font-bold">
        Sessions
      </h2>
      {rooms === null ? <p className="mt-2 text-lg">Loading…</p> : null}
      {rooms?.length === 0 ? <p className="mt-2 text-lg text-slate-300">No sessions yet.</p> : null}
      <ul className="mt-3 divide-y divide-slate-800">
        {rooms?.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-3 py-3">
            <div className="min-w-0 flex-1">
              <p className="truncate text-lg font-semibold">{r.title}</p>
              <p className="text-base text-slate-400">
                <span className="font-mono">{r.code}</span> · {new Date(r.createdAt).toLocaleString()} · {r.participantCount} students · {r.status === "ended" ? "ended" : "live"}
              </p>
            </div>
            {canHost && r.status !== "ended" ? (
              <Link href={`/host/${r.code}`} className={linkCls}>
                Host
              </Link>
            ) : null}
            <Link href={`/review/${r.code}`} className={linkCls}>
              Review
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
