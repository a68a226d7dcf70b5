"use client";
// The student's phone in a guess round: the prompt in tokens, the guess with its token preview, the
// personal reveal; in a compare round, a prediction of which side the model is surer about.
import { useEffect, useRef, useState } from "react";
import { GUESS_EVENTS, type GuessPieces, type MyVoteView, type VoteAck } from "@/contract/protocol/guess";
import { formatBits, formatProb, showToken, surpriseMeaning } from "../../../_lib/format";
import { Countdown } from "../../session/countdown";
import { ErrorNote, PrimaryButton } from "../../form-bits";
import type { Emit, PhoneProps } from "../types";
import { TokenBoxes } from "./token-views";

export function GuessPhone({ activity, emit }: PhoneProps<"guess">) {
  const round = activity.view.round;
  const mine = activity.mine;
  const scored =
    mine && mine.roundsScored > 0
      ? `Your average surprise: ${formatBits(mine.totalLossBits / mine.roundsScored)} over ${mine.roundsScored} round${mine.roundsScored === 1 ? "" : "s"}${mine.place ? ` · ${ordinal(mine.place.place)} of ${mine.place.of} on the leaderboard` : ""}`
      : null;
  if (!round || round.status === "skipped")
    return (
      <section aria-live="polite" className="space-y-3 text-lg">
        <p className="text-2xl font-bold">Watch the projector.</p>
        {scored ? <p className="text-slate-300">{scored}</p> : null}
      </section>
    );
  if (round.status === "preparing") return <p className="text-xl" aria-live="polite">The model is reading the prompt…</p>;
  if (round.status === "failed") return <p className="text-xl">The model could not answer this prompt. Wait for the host.</p>;
  if (round.kind === "compare") return <ComparePhone round={round} prediction={mine?.prediction ?? null} emit={emit} />;

  return (
    <>
      <section aria-label="Prompt" className="rounded-2xl border-2 border-slate-700 p-3">
        <h2 className="mb-1 text-base font-semibold text-slate-300">The text so far, in tokens ({round.prefix.filter((t) => !t.special).length})</h2>
        <TokenBoxes tokens={round.prefix} />
      </section>
      {round.status === "voting" && round.timer ? (
        <p className="text-xl font-bold" aria-live="off">
          Time left: <Countdown endsAt={round.timer.endsAt} remainingMs={round.timer.remainingMs} />
        </p>
      ) : null}
      {round.status === "voting" ? <GuessForm key={round.id} emit={emit} needsSpace={round.guessNeedsSpace} current={mine?.vote ?? null} /> : <MyReveal activity={activity} />}
      {scored ? <p className="text-base text-slate-400">{scored}</p> : null}
    </>
  );
}

function GuessForm({ emit, needsSpace, current }: { emit: Emit; needsSpace: boolean; current: MyVoteView | null }) {
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
      void emit<GuessPieces>(GUESS_EVENTS.preview, { guess }).then((r) => {
        if (ticket === latest.current && r.ok) setPreview(r.data);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [guess, emit]);

  async function vote(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const r = await emit<VoteAck>(GUESS_EVENTS.vote, { guess });
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
            {preview.tokens.length > 1 ? (
              <span className="block">
                Only the first token, <b className="font-mono">{showToken(preview.tokens[0]!.text)}</b>, is your vote.
              </span>
            ) : null}
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

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th"}`;

function MyReveal({ activity }: { activity: PhoneProps<"guess">["activity"] }) {
  const result = activity.mine?.result;
  const round = activity.view.round!;
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
            Your surprise: <b>{formatBits(result.surpriseBits)}</b>: {surpriseMeaning(result.surpriseBits)}. It is −log₂ p, the loss that training makes small.
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

function ComparePhone({ round, prediction, emit }: { round: NonNullable<PhoneProps<"guess">["activity"]["view"]["round"]>; prediction: "a" | "b" | null; emit: Emit }) {
  const [error, setError] = useState<string | null>(null);
  const compare = round.compare;
  if (!compare) return <p className="text-xl">The model is computing both sides…</p>;
  const surer = compare.predictions.surer;
  async function predict(side: "a" | "b") {
    const r = await emit(GUESS_EVENTS.predict, { side });
    setError(r.ok ? null : r.message);
  }
  return (
    <section aria-live="polite" className="space-y-3 text-lg">
      <h2 className="text-2xl font-bold">Which side is the model surer about?</h2>
      {(["a", "b"] as const).map((k) => (
        <button
          key={k}
          type="button"
          disabled={round.status !== "voting"}
          onClick={() => void predict(k)}
          aria-pressed={prediction === k}
          className={`w-full rounded-2xl border-4 p-3 text-left ${prediction === k ? "border-hat-400 bg-slate-800" : "border-slate-600"}`}
        >
          <span className="block text-base text-slate-300">
            {k.toUpperCase()}: {compare[k].label} {prediction === k ? "· your pick ✓" : ""}
          </span>
          <span className="font-mono text-xl">{compare[k].prompt}</span>
        </button>
      ))}
      <ErrorNote message={error} />
      {surer ? (
        <p className="rounded-xl border-2 border-hat-400 p-3">
          The model was surer about <b>{surer.toUpperCase()}</b> (lower entropy).{" "}
          {prediction ? (prediction === surer ? "You were right." : "Not this time.") : "You did not predict."}
        </p>
      ) : (
        <p className="text-slate-300">Tap one. The projector shows the model&apos;s numbers after the host reveals them.</p>
      )}
    </section>
  );
}
