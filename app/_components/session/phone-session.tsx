"use client";
// The student's phone: join with a nickname, then whatever activity is on the screen. A reload or a
// network change lands on the live activity: the server says which one it is.
import Link from "next/link";
import { useState } from "react";
import { SESSION_EVENTS, type JoinAck, type PlayerSnapshot } from "@/contract/protocol/session";
import { liveCounts, storeParticipantToken, useSession, type SessionConnection } from "../../_lib/use-session";
import { ACTIVITY_SCREENS, type ActivityScreens } from "../activities/registry";
import { ErrorNote, PrimaryButton } from "../form-bits";

export function PhoneSession({ code }: { code: string }) {
  const session = useSession<PlayerSnapshot>(code, "player");
  const { snapshot, connection, refusal } = session;

  if (refusal)
    return (
      <Shell title="Token Hat">
        <ErrorNote message={refusal.message} />
        <Link href="/" className="text-lg font-semibold text-hat-300 underline underline-offset-4">
          Enter another code
        </Link>
      </Shell>
    );
  if (!snapshot) return <Shell title="Connecting…">{connection === "offline" ? <p className="text-lg">Waiting for the network…</p> : null}</Shell>;

  const me = snapshot.me;
  return (
    <Shell title={snapshot.session.title} subtitle={me ? `You are ${me.nickname}` : `Room ${snapshot.session.code}`} offline={connection !== "online"}>
      {snapshot.session.paused ? <Banner>The host paused the room.</Banner> : null}
      {me?.nicknameNote ? <p className="rounded-xl border-2 border-slate-500 p-3 text-base">{me.nicknameNote}</p> : null}
      {!me ? <JoinStep session={session} code={code} /> : <Play snapshot={snapshot} session={session} />}
    </Shell>
  );
}

function Shell({ title, subtitle, offline, children }: { title: string; subtitle?: string; offline?: boolean; children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col gap-5 px-4 pb-10 pt-5">
      <header>
        <h1 className="text-2xl font-extrabold leading-tight">{title}</h1>
        {subtitle ? <p className="text-base text-slate-300">{subtitle}</p> : null}
        {offline ? (
          <p role="status" className="mt-2 rounded-lg border-2 border-amber-400 px-3 py-1 text-base">
            Reconnecting… your votes are safe.
          </p>
        ) : null}
      </header>
      {children}
    </main>
  );
}

function Banner({ children }: { children: React.ReactNode }) {
  return <p className="rounded-xl border-2 border-sky-400 bg-sky-950 p-3 text-lg">{children}</p>;
}

function JoinStep({ session, code }: { session: SessionConnection<PlayerSnapshot>; code: string }) {
  const [nickname, setNickname] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function join(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await session.emit<JoinAck>(SESSION_EVENTS.join, { nickname });
    setBusy(false);
    if (result.ok) {
      storeParticipantToken(code, result.data.participantToken);
      setError(null);
    } else setError(result.message);
  }

  // Say it before the student types a name: the form would only be refused.
  const room = session.snapshot?.session;
  if (room?.status === "ended") return <Banner>This session has ended. Thank you for coming!</Banner>;
  if (room?.locked) return <Banner>The room is locked: the host is not letting new people in right now. When the host unlocks it, the form to join appears here.</Banner>;
  return (
    <form onSubmit={join} className="flex flex-col gap-4" noValidate>
      <label htmlFor="nickname" className="text-xl font-bold">
        Your nickname
      </label>
      <input
        id="nickname"
        value={nickname}
        onChange={(e) => setNickname(e.target.value)}
        maxLength={60}
        autoComplete="nickname"
        className="h-16 w-full rounded-2xl border-2 border-slate-500 bg-slate-900 px-4 text-2xl text-white focus:border-hat-400 focus:outline-none"
      />
      <ErrorNote message={error} />
      <PrimaryButton type="submit" busy={busy}>
        Join the class
      </PrimaryButton>
    </form>
  );
}

function Play({ snapshot, session }: { snapshot: PlayerSnapshot; session: SessionConnection<PlayerSnapshot> }) {
  const activity = snapshot.activity;
  if (snapshot.session.status === "ended")
    return (
      <section aria-live="polite" className="space-y-3 text-lg">
        <p className="text-2xl font-bold">That&apos;s the end of the session. Thank you!</p>
        <p>Look at the projector for everything the class wrote.</p>
        <Link href="/explore" className="block rounded-2xl bg-hat-400 p-4 text-center text-xl font-bold text-ink">
          Keep playing: the model on your phone
        </Link>
      </section>
    );
  if (!activity)
    return (
      <section aria-live="polite" className="space-y-3 text-lg">
        <p className="text-2xl font-bold">You&apos;re in.</p>
        <p>Watch the projector. The first question appears here.</p>
      </section>
    );
  const screens = ACTIVITY_SCREENS[activity.kind] as unknown as ActivityScreens<typeof activity.kind>;
  return <screens.Phone activity={activity as never} snapshot={snapshot} emit={session.emit} live={liveCounts(snapshot, session.counts).activity} />;
}
