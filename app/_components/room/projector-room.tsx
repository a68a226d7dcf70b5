"use client";
// The projector: large type for the back of the room. It never shows the histogram before the
// reveal, so nobody herds.
import { useEffect, useState } from "react";
import type { ProjectorSnapshot, RoomCounts } from "@/server/protocol/room-protocol";
import { useRoom } from "../../_lib/use-room";
import { ProjectorHat } from "../hat/projector-hat";
import { useHat, useHatActive } from "../hat/use-hat";
import type { StaffHatSnapshot } from "@/server/protocol/hat-protocol";
import { CompareView, GuessReveal, ThreadText } from "./round-reveal";
import { TokenBoxes } from "./token-views";

export function ProjectorRoom({ code }: { code: string }) {
  const { snapshot, counts, refusal, socket } = useRoom<ProjectorSnapshot>(code, "projector");
  // A running hat game (Mad Libs) takes the screen; see app/_components/hat.
  const hat = useHat<StaffHatSnapshot>(socket);
  const hatActive = useHatActive(hat.snapshot, snapshot?.round?.id ?? null);
  if (refusal) return <main className="p-12 text-4xl">{refusal.message}</main>;
  if (!snapshot) return <main className="p-12 text-4xl">Connecting…</main>;
  if (hatActive && hat.snapshot?.game && snapshot.room.phase !== "ended") return <ProjectorHat snapshot={hat.snapshot} code={snapshot.room.code} />;

  const live = liveCounts(snapshot, counts);
  const round = snapshot.round;
  const thread = snapshot.threads[snapshot.threads.length - 1];

  return (
    <main className="flex min-h-dvh flex-col gap-6 px-10 py-6">
      <header className="flex items-baseline justify-between gap-6">
        <h1 className="truncate text-4xl font-extrabold">{snapshot.room.title}</h1>
        <p className="shrink-0 text-3xl" aria-live="polite">
          <b className="tabular-nums">{live.participants}</b> joined · code <b className="font-mono tracking-widest text-hat-300">{snapshot.room.code}</b>
        </p>
      </header>
      {snapshot.room.paused ? <p className="rounded-xl border-4 border-sky-400 p-3 text-3xl">Paused</p> : null}

      <div aria-live="polite" className="flex-1">
        {snapshot.room.phase === "ended" ? (
          thread ? (
            <>
              <h2 className="mb-4 text-4xl font-bold">What we wrote, token by token</h2>
              <ThreadText thread={thread} big />
            </>
          ) : (
            <p className="text-4xl">The session has ended.</p>
          )
        ) : !round || snapshot.room.phase === "lobby" ? (
          <Lobby snapshot={snapshot} />
        ) : round.kind === "compare" ? (
          round.compare ? <CompareView round={round} big bars={8} /> : <p className="text-4xl">The model is computing both distributions…</p>
        ) : round.status === "voting" || round.status === "preparing" ? (
          <Voting snapshot={snapshot} votes={live.votes} />
        ) : round.reveal ? (
          <GuessReveal round={round} big bars={8} />
        ) : (
          <p className="text-4xl">{round.status === "failed" ? "The model could not answer this round." : "Waiting for the host."}</p>
        )}
      </div>
    </main>
  );
}

function liveCounts(snapshot: ProjectorSnapshot, counts: RoomCounts | null) {
  const fresh = counts && counts.seq >= snapshot.seq;
  return {
    participants: fresh ? counts.participantCount : snapshot.room.participantCount,
    votes: fresh && counts.roundId === snapshot.round?.id ? counts.voteCount : (snapshot.round?.voteCount ?? 0),
  };
}

function Lobby({ snapshot }: { snapshot: ProjectorSnapshot }) {
  return (
    <div className="grid grid-cols-[1fr_auto] items-center gap-10">
      <div className="space-y-6">
        <p className="text-4xl">Join on your phone:</p>
        <p className="break-all font-mono text-4xl font-bold text-hat-300">{snapshot.join.url}</p>
        <p className="text-3xl">or go to the home page and type the code</p>
        <p className="font-mono text-8xl font-black tracking-[0.2em]">{snapshot.room.code}</p>
      </div>
      <div
        className="w-[22rem] rounded-2xl bg-white p-4"
        role="img"
        aria-label={`QR code for ${snapshot.join.url}`}
        dangerouslySetInnerHTML={{ __html: snapshot.join.qrSvg }}
      />
    </div>
  );
}

function Voting({ snapshot, votes }: { snapshot: ProjectorSnapshot; votes: number }) {
  const round = snapshot.round!;
  return (
    <div className="space-y-8">
      <section aria-label="Prompt">
        <p className="mb-2 text-2xl text-slate-400">Round {round.number}: what is the next token?</p>
        <TokenBoxes tokens={round.prefix} size="xl" />
      </section>
      <p className="text-5xl">
        <b className="tabular-nums">{votes}</b> vote{votes === 1 ? "" : "s"} so far
        {round.timer ? <Countdown endsAt={round.timer.endsAt} remainingMs={round.timer.remainingMs} /> : null}
      </p>
      <p className="text-2xl text-slate-400">
        Join with code <b className="font-mono text-hat-300">{snapshot.room.code}</b> at {snapshot.join.url.replace(/\/join\/.*$/, "")}
      </p>
    </div>
  );
}

export function Countdown({ endsAt, remainingMs }: { endsAt: number | null; remainingMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  const ms = endsAt === null ? remainingMs : Math.max(0, endsAt - now);
  return <span className="ml-6 tabular-nums text-slate-300">· {Math.ceil(ms / 1000)} s left</span>;
}
