"use client";
// The student's phone: join with a nickname, guess the next token, see the personal reveal.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { ROOM_EVENTS, type GuessPieces, type MyVoteView, type PlayerSnapshot } from "@/server/protocol/room-protocol";
import { formatBits, formatProb, showToken } from "../../_lib/format";
import { storeParticipantToken, useRoom } from "../../_lib/use-room";
import { ErrorNote, PrimaryButton } from "../form-bits";
import { PhoneHat } from "../hat/phone-hat";
import { useHat, useHatActive } from "../hat/use-hat";
import type { PlayerHatSnapshot } from "@/server/protocol/hat-protocol";
import { TokenBoxes } from "./token-views";

export function PhoneRoom({ code }: { code: string }) {
  const room = useRoom<PlayerSnapshot>(code, "player");
  const { snapshot, connection, refusal } = room;
  // A running hat game (Mad Libs) takes the screen; see app/_components/hat.
  const hat = useHat<PlayerHatSnapshot>(room.socket);
  const hatActive = useHatActive(hat.snapshot, snapshot?.round?.id ?? null);

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
    <Shell title={snapshot.room.title} subtitle={me ? `You are ${me.nickname}` : `Room ${snapshot.room.code}`} offline={connection !== "online"}>
      {snapshot.room.paused ? <Banner>The host paused the room.</Banner> : null}
      {!me ? <JoinStep room={room} code={code} /> : hatActive && snapshot.room.phase !== "ended" ? <PhoneHat hat={hat} /> : <PlayStep room={room} snapshot={snapshot} />}
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

type Room = ReturnType<typeof useRoom<PlayerSnapshot>>;

function JoinStep({ room, code }: { room: Room; code: string }) {
  const [nickname, setNickname] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function join(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await room.emit(ROOM_EVENTS.playerJoin, { nickname });
    setBusy(false);
    if (result.ok) {
      storeParticipantToken(code, result.data.participantToken);
      setError(null);
    } else setError(result.message);
  }

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

function PlayStep({ room, snapshot }: { room: Room; snapshot: PlayerSnapshot }) {
  const round = snapshot.round;
  const me = snapshot.me!;
  const scored = me.roundsScored > 0 ? `${formatBits(me.totalLossBits / me.roundsScored)} average surprise over ${me.roundsScored} round${me.roundsScored === 1 ? "" : "s"}` : null;

  if (snapshot.room.phase === "ended")
    return (
      <section aria-live="polite" className="space-y-3 text-lg">
        <p className="text-2xl font-bold">That&apos;s the end of the session. Thank you!</p>
        {scored ? <p>Your score: {scored}.</p> : null}
      </section>
    );
  if (!round || round.status === "skipped" || snapshot.room.phase === "lobby")
    return (
      <section aria-live="polite" className="space-y-3 text-lg">
        <p className="text-2xl font-bold">You&apos;re in.</p>
        <p>Watch the projector. The next prompt appears here.</p>
        {scored ? <p className="text-slate-300">{scored}</p> : null}
      </section>
    );
  if (round.kind === "compare")
    return (
      <section aria-live="polite" className="space-y-3 text-lg">
        <p className="text-2xl font-bold">Compare round</p>
        <p>Look at the projector: two distributions side by side. Which one is the model more sure about?</p>
      </section>
    );
  if (round.status === "preparing") return <p className="text-xl">The model is reading the prompt…</p>;
  if (round.status === "failed") return <p className="text-xl">{round.error ? "The model could not answer this prompt." : "This round failed."} Wait for the host.</p>;

  return (
    <>
      <section aria-label="Prompt" className="rounded-2xl border-2 border-slate-700 p-3">
        <h2 className="mb-1 text-base font-semibold text-slate-300">The text so far, in tokens ({round.prefix.filter((t) => !t.special).length})</h2>
        <TokenBoxes tokens={round.prefix} />
      </section>
      {round.status === "voting" ? <GuessForm key={round.id} room={room} needsSpace={round.guessNeedsSpace} current={me.vote} /> : <MyReveal snapshot={snapshot} />}
      {scored ? <p className="text-base text-slate-400">{scored}</p> : null}
    </>
  );
}

function GuessForm({ room, needsSpace, current }: { room: Room; needsSpace: boolean; current: MyVoteView | null }) {
  const [guess, setGuess] = useState(current?.guess ?? "");
  const [preview, setPreview] = useState<GuessPieces | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(current ? current.explanation : null);
  const latest = useRef(0);

  useEffect(() => {
    if (!guess.trim()) {
      setPreview(null);
      return;
    }
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      void room.emit(ROOM_EVENTS.playerPreviewGuess, { guess }).then((r) => {
        if (ticket === latest.current && r.ok) setPreview(r.data);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [guess, room]);

  async function vote(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const r = await room.emit(ROOM_EVENTS.playerVote, { guess });
    setBusy(false);
    if (r.ok) {
      setError(null);
      setSent(r.data.vote.explanation);
    } else setError(r.message);
  }

  return (
    <form onSubmit={vote} className="flex flex-col gap-3" noValidate>
      <label htmlFor="guess" className="text-xl font-bold">
        What comes next?
      </label>
      <input
        id="guess"
        value={guess}
        onChange={(e) => setGuess(e.target.value)}
        autoComplete="off"
        autoCapitalize="none"
        autoCorrect="off"
        enterKeyHint="send"
        placeholder="one word"
        className="h-16 w-full rounded-2xl border-2 border-slate-500 bg-slate-900 px-4 text-2xl text-white focus:border-hat-400 focus:outline-none"
      />
      <p className="min-h-[3rem] text-base text-slate-300" aria-live="polite">
        {preview ? (
          <>
            <span className="font-mono">{preview.explanation}</span>
            {preview.tokens.length > 1 ? <span className="block">Only the first token, <b className="font-mono">{showToken(preview.tokens[0]!.text)}</b>, is your vote.</span> : null}
          </>
        ) : needsSpace ? (
          "Your word gets a leading space (␣), as it would in running text."
        ) : null}
      </p>
      <ErrorNote message={error} />
      <PrimaryButton type="submit" busy={busy} disabled={!guess.trim()}>
        {sent ? "Change my vote" : "Send my guess"}
      </PrimaryButton>
      {sent ? (
        <p role="status" className="rounded-xl border-2 border-emerald-400 bg-emerald-950 p-3 text-lg">
          ✓ Vote saved: <span className="font-mono">{sent}</span>. You can change it until the host closes the round.
        </p>
      ) : null}
    </form>
  );
}

function MyReveal({ snapshot }: { snapshot: PlayerSnapshot }) {
  const result = snapshot.me?.result;
  const round = snapshot.round!;
  const top = round.reveal?.distribution.top[0];
  return (
    <section aria-live="polite" className="space-y-3 rounded-2xl border-2 border-hat-400 p-4 text-lg">
      <h2 className="text-2xl font-bold">The reveal</h2>
      {result ? (
        <>
          <p>
            You guessed <b className="font-mono">{showToken(result.tokenText)}</b>. The model gave it <b>{formatProb(result.p)}</b>, rank <b>#{result.rank}</b>.
          </p>
          <p>
            Your surprise: <b>{formatBits(result.surpriseBits)}</b> = −log₂ p. This is the loss that training makes small.
          </p>
        </>
      ) : (
        <p>You did not vote this round.</p>
      )}
      {top ? (
        <p className="text-slate-300">
          The model&apos;s top token: <b className="font-mono">{showToken(top.text)}</b> ({formatProb(top.p)}).
        </p>
      ) : null}
      {round.pick ? (
        <p>
          Next token: <b className="font-mono">{showToken(round.pick.token.text)}</b>
        </p>
      ) : (
        <p className="text-slate-300">Look at the projector for the whole class.</p>
      )}
    </section>
  );
}
