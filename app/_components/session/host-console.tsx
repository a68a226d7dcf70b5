"use client";
// The instructor's console: the lesson plan with its notes and Next, the activity on the screen with
// its controls, the forms that start the others, and the room (people, pause, lock, end).
import Link from "next/link";
import { useEffect, useState } from "react";
import type { ActivityKind, ActivityStart } from "@/contract/protocol/activities";
import type { SessionOptions } from "@/contract/http/sessions";
import { SESSION_EVENTS, type Ack, type HostSnapshot } from "@/contract/protocol/session";
import { api } from "../../_lib/api-client";
import { liveCounts, useSession, type SessionConnection } from "../../_lib/use-session";
import { panel, primary, secondary } from "../activities/controls";
import { ACTIVITY_SCREENS, type ActivityScreens } from "../activities/registry";
import { TrainingSearch } from "../activities/guess/training-lookup";
import { ErrorNote } from "../form-bits";

type Session = SessionConnection<HostSnapshot>;
type Act = (run: () => Promise<Ack<unknown>>) => Promise<void>;

export function HostConsole({ code }: { code: string }) {
  const session = useSession<HostSnapshot>(code, "host");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SessionOptions | null>(null);
  const { snapshot, counts, refusal } = session;

  useEffect(() => {
    void api<SessionOptions>("GET", "/api/sessions/options").then((r) => (r.ok ? setOptions(r.data) : undefined));
  }, []);

  /** Runs a host command; the ack carries the new snapshot, which useSession applies. Errors clear on the next success. */
  const act: Act = async (run) => {
    setBusy(true);
    const r = await run();
    setBusy(false);
    setError(r.ok ? null : r.message);
  };

  if (refusal)
    return (
      <main className="mx-auto max-w-xl p-8 text-xl">
        <ErrorNote message={refusal.message} />
        <Link href="/dashboard" className="mt-4 inline-block text-hat-300 underline">
          Back to the dashboard
        </Link>
      </main>
    );
  if (!snapshot) return <main className="p-8 text-xl">Connecting…</main>;

  const ended = snapshot.session.status === "ended";
  const activity = snapshot.activity;
  const running = activity?.status === "running";
  const screens = activity ? (ACTIVITY_SCREENS[activity.kind] as unknown as ActivityScreens<typeof activity.kind>) : null;
  const start = (s: ActivityStart) => act(() => session.emit(SESSION_EVENTS.start, s));

  return (
    <main className="mx-auto grid w-full max-w-7xl gap-6 px-5 py-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        <header className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h1 className="text-3xl font-extrabold">{snapshot.session.title}</h1>
            <p className="text-lg text-slate-300">
              Code <b className="font-mono text-hat-300">{snapshot.session.code}</b> · model {snapshot.session.model.name}
              {activity ? ` · ${ACTIVITY_SCREENS[activity.kind].label.toLowerCase()} ${activity.status}` : ""}
              {snapshot.session.locked ? " · locked" : ""}
              {snapshot.session.paused ? " · paused" : ""}
              {ended ? " · ended" : ""}
            </p>
          </div>
          <div className="flex gap-2">
            <a href={`/projector/${snapshot.session.code}`} target="_blank" rel="noreferrer" className={`${secondary} inline-flex items-center`}>
              Open projector view
            </a>
            <Link href="/dashboard" className={`${secondary} inline-flex items-center`}>
              Dashboard
            </Link>
          </div>
        </header>
        <ErrorNote message={error} />

        {snapshot.plan ? <PlanPanel snapshot={snapshot} session={session} act={act} busy={busy} running={running} /> : null}

        {activity && screens ? (
          <>
            {screens.Host ? <screens.Host activity={activity as never} snapshot={snapshot} emit={session.emit} live={liveCounts(snapshot, counts).activity} act={act} busy={busy} /> : null}
            {running ? (
              <button className={secondary} disabled={busy} onClick={() => void act(() => session.emit(SESSION_EVENTS.finish))}>
                Finish {ACTIVITY_SCREENS[activity.kind].label.toLowerCase()}
              </button>
            ) : null}
          </>
        ) : null}

        {ended ? (
          <p className="text-xl">
            This session has ended.{" "}
            <Link className="text-hat-300 underline" href={`/review/${snapshot.session.code}`}>
              Review it
            </Link>
            .
          </p>
        ) : (
          <StartPanels snapshot={snapshot} options={options} start={start} disabled={busy || running} />
        )}
      </div>

      <aside className="space-y-4">
        <RoomControls session={session} act={act} busy={busy} />
        <Participants session={session} act={act} busy={busy} />
        <TrainingSearch />
      </aside>
    </main>
  );
}

function StartPanels({ snapshot, options, start, disabled }: { snapshot: HostSnapshot; options: SessionOptions | null; start: (s: ActivityStart) => Promise<void>; disabled: boolean }) {
  const kinds = Object.keys(ACTIVITY_SCREENS) as ActivityKind[];
  const [open, setOpen] = useState<ActivityKind>("guess");
  const Start = ACTIVITY_SCREENS[open].Start;
  return (
    <section aria-label="Start something" className="space-y-3">
      <div role="tablist" className="flex flex-wrap gap-2">
        {kinds.map((k) => (
          <button key={k} role="tab" aria-selected={open === k} className={open === k ? primary : secondary} onClick={() => setOpen(k)}>
            {ACTIVITY_SCREENS[k].label}
          </button>
        ))}
      </div>
      {disabled ? <p className="text-base text-slate-400">Finish what is running to start something new.</p> : null}
      <Start snapshot={snapshot} options={options} start={start} disabled={disabled} />
    </section>
  );
}

function PlanPanel({ snapshot, session, act, busy, running }: { snapshot: HostSnapshot; session: Session; act: Act; busy: boolean; running: boolean }) {
  const steps = snapshot.plan!;
  const position = snapshot.session.plan?.step ?? 0;
  const next = steps[position];
  const current = steps.find((s) => s.current);
  return (
    <section className={`${panel} border-hat-400`} aria-label="Lesson plan">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 className="text-2xl font-bold">{snapshot.session.plan?.title}</h2>
        <p className="text-lg text-slate-300">
          Step {position} of {steps.length}
        </p>
      </div>
      {current ? (
        <div className="rounded-xl bg-slate-900 p-3">
          <p className="font-semibold">Now: {current.summary}</p>
          {current.notes ? <p className="mt-1 whitespace-pre-line text-base text-slate-300">{current.notes}</p> : null}
        </div>
      ) : null}
      {next ? (
        <div className="flex flex-wrap items-center gap-3">
          <button className={primary} disabled={busy || running || snapshot.session.status === "ended"} onClick={() => void act(() => session.emit(SESSION_EVENTS.next))}>
            Next: {next.summary}
          </button>
          {running ? <span className="text-base text-slate-400">Finish the current step first.</span> : null}
        </div>
      ) : (
        <p className="text-lg">That was the last step. End the session when you are done.</p>
      )}
      <details>
        <summary className="cursor-pointer text-base text-slate-300">All steps</summary>
        <ol className="mt-2 space-y-1 text-base">
          {steps.map((s) => (
            <li key={s.number} className={s.current ? "font-bold text-hat-300" : s.done ? "text-slate-400" : ""}>
              {s.number}. {s.summary} {s.done ? "✓" : s.current ? "◀ now" : ""}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}

function RoomControls({ session, act, busy }: { session: Session; act: Act; busy: boolean }) {
  const s = session.snapshot!;
  const ended = s.session.status === "ended";
  return (
    <section className="space-y-3 rounded-2xl border-2 border-slate-700 p-4" aria-label="Room controls">
      <p className="break-all text-base">
        Join link: <span className="font-mono text-hat-300">{s.join.url}</span>
      </p>
      <div className="grid grid-cols-2 gap-2">
        <button className={secondary} disabled={busy || ended} onClick={() => void act(() => session.emit(SESSION_EVENTS.pause, { paused: !s.session.paused }))}>
          {s.session.paused ? "Resume" : "Pause"}
        </button>
        <button className={secondary} disabled={busy || ended} onClick={() => void act(() => session.emit(SESSION_EVENTS.lock, { locked: !s.session.locked }))}>
          {s.session.locked ? "Unlock room" : "Lock room"}
        </button>
      </div>
      <label className="flex items-center gap-3 text-base">
        <input
          type="checkbox"
          className="h-6 w-6"
          checked={s.session.leaderboard}
          disabled={busy || ended}
          onChange={(e) => void act(() => session.emit(SESSION_EVENTS.leaderboard, { on: e.target.checked }))}
        />
        Leaderboard: show who guesses most like the model, and a podium at the end
      </label>
      <button
        className={`${secondary} w-full`}
        disabled={busy || ended}
        onClick={() => {
          if (window.confirm("End the session for everyone? The projector will show what the class wrote.")) void act(() => session.emit(SESSION_EVENTS.end));
        }}
      >
        End session
      </button>
    </section>
  );
}

function Participants({ session, act, busy }: { session: Session; act: Act; busy: boolean }) {
  const s = session.snapshot!;
  const people = s.participants;
  // A burst of joins (a script, a prank) is removed in one go: everyone who joined in the last two minutes.
  const [since] = useState(() => ({ at: 0 }));
  since.at = Math.max(since.at, ...people.map((p) => p.joinedAt));
  const recent = people.filter((p) => p.joinedAt >= since.at - 120_000);
  return (
    <section className="rounded-2xl border-2 border-slate-700 p-4" aria-label="Participants">
      <h2 className="text-xl font-bold">
        {people.length} participant{people.length === 1 ? "" : "s"} ({people.filter((p) => p.connected).length} online)
      </h2>
      {recent.length >= 5 ? (
        <button
          className="mt-2 w-full rounded-lg border border-rose-500 px-2 py-1 text-base text-rose-200"
          disabled={busy}
          onClick={() => {
            if (window.confirm(`Remove the ${recent.length} people who joined in the two minutes up to the last join?\n${recent.map((p) => p.nickname).join(", ")}`))
              void act(() => session.emit(SESSION_EVENTS.kick, { participantIds: recent.map((p) => p.id) }));
          }}
        >
          Remove the last burst of joins ({recent.length})
        </button>
      ) : null}
      <ul className="mt-2 max-h-[28rem] divide-y divide-slate-800 overflow-y-auto">
        {people.map((p) => (
          <li key={p.id} className="flex items-center gap-2 py-1.5 text-base">
            <span title={p.connected ? "online" : "offline"}>
              <span aria-hidden>{p.connected ? "●" : "○"}</span>
              <span className="sr-only">{p.connected ? "online" : "offline"}</span>
            </span>
            <span className="flex-1 truncate">{p.nickname}</span>
            <button
              className="rounded-lg border border-slate-600 px-2"
              disabled={busy}
              onClick={() => {
                const nickname = window.prompt(`Rename ${p.nickname} to:`, p.nickname);
                if (nickname) void act(() => session.emit(SESSION_EVENTS.rename, { participantId: p.id, nickname }));
              }}
            >
              Rename
            </button>
            <button
              className="rounded-lg border border-rose-500 px-2 text-rose-200"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Remove ${p.nickname} from the room?`)) void act(() => session.emit(SESSION_EVENTS.kick, { participantIds: [p.id] }));
              }}
            >
              Kick
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
