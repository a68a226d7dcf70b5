"use client";
// The projector: large type for the back of the room. The join code stays on screen; the activity
// on the screen is the one the server says is current.
import type { ProjectorSnapshot } from "@/contract/protocol/session";
import { liveCounts, useSession } from "../../_lib/use-session";
import { ACTIVITY_SCREENS, type ActivityScreens } from "../activities/registry";

export function ProjectorSession({ code }: { code: string }) {
  const { snapshot, counts, refusal } = useSession<ProjectorSnapshot>(code, "projector");
  if (refusal)
    return (
      <main className="space-y-6 p-12 text-4xl">
        <p>{refusal.message}</p>
        {refusal.code === "unauthorized" ? (
          <a className="text-hat-300 underline" href={`/signin?next=${encodeURIComponent(`/projector/${code}`)}`}>
            Sign in to show this room
          </a>
        ) : null}
      </main>
    );
  if (!snapshot) return <main className="p-12 text-4xl">Connecting…</main>;
  const live = liveCounts(snapshot, counts);
  const activity = snapshot.activity;
  const screens = activity ? (ACTIVITY_SCREENS[activity.kind] as unknown as ActivityScreens<typeof activity.kind>) : null;
  return (
    <main className="flex min-h-dvh flex-col gap-6 px-10 py-6">
      <header className="flex items-baseline justify-between gap-6">
        <h1 className="truncate text-4xl font-extrabold">{snapshot.session.title}</h1>
        <p className="shrink-0 text-3xl" aria-live="polite">
          <b className="tabular-nums">{live.participants}</b> joined · code <b className="font-mono tracking-widest text-hat-300">{snapshot.session.code}</b>
        </p>
      </header>
      {snapshot.session.paused ? <p className="rounded-xl border-4 border-sky-400 p-3 text-3xl">Paused</p> : null}
      <div aria-live="polite" className="flex-1">
        {snapshot.session.status === "ended" ? (
          <Finale snapshot={snapshot} />
        ) : activity && screens ? (
          <screens.Projector activity={activity as never} snapshot={snapshot} live={live.activity} />
        ) : (
          <Lobby snapshot={snapshot} />
        )}
      </div>
    </main>
  );
}

function Finale({ snapshot }: { snapshot: ProjectorSnapshot }) {
  const parts = snapshot.finale ?? [];
  if (parts.length === 0) return <p className="text-4xl">The session has ended. Thank you!</p>;
  return (
    <div className="space-y-10">
      {parts.map((part) => {
        const screens = ACTIVITY_SCREENS[part.kind] as unknown as ActivityScreens<typeof part.kind>;
        return screens.Finale ? <screens.Finale key={part.kind} view={part.view as never} /> : null;
      })}
    </div>
  );
}

function Lobby({ snapshot }: { snapshot: ProjectorSnapshot }) {
  return (
    <div className="grid grid-cols-[1fr_auto] items-center gap-10">
      <div className="space-y-6">
        <p className="text-4xl">Join on your phone:</p>
        <p className="break-all font-mono text-4xl font-bold text-hat-300">{snapshot.join.url}</p>
        <p className="text-3xl">or go to the home page and type the code</p>
        <p className="font-mono text-8xl font-black tracking-[0.2em]">{snapshot.session.code}</p>
        {snapshot.names.length ? <p className="text-3xl text-slate-300">{snapshot.names.slice(-30).join(" · ")}</p> : null}
      </div>
      <div className="w-[22rem] rounded-2xl bg-white p-4" role="img" aria-label={`QR code for ${snapshot.join.url}`} dangerouslySetInnerHTML={{ __html: snapshot.join.qrSvg }} />
    </div>
  );
}
