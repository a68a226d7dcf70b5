"use client";
// The projector during guess rounds: the prompt and the vote count while the class guesses, then
// the class beside the model. It never shows the histogram before the reveal, so nobody herds.
import type { GuessFinale } from "@/contract/protocol/guess";
import { Countdown } from "../../session/countdown";
import type { ProjectorProps } from "../types";
import { CompareView, GuessReveal, ThreadText } from "./round-reveal";
import { TokenBoxes } from "./token-views";

export function GuessProjector({ activity, snapshot, live }: ProjectorProps<"guess">) {
  const round = activity.view.round;
  if (!round) return null;
  if (round.status === "preparing") return <p className="text-4xl">The model is reading the prompt…</p>;
  if (round.status === "failed") return <p className="text-4xl">The model could not answer this round.</p>;
  if (round.kind === "compare") return round.compare ? <CompareView round={round} big bars={8} /> : <p className="text-4xl">The model is computing both distributions…</p>;
  if (round.status === "voting") {
    const votes = live?.votes ?? round.voteCount;
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
          Join with code <b className="font-mono text-hat-300">{snapshot.session.code}</b> at {snapshot.join.url.replace(/\/join\/.*$/, "")}
        </p>
      </div>
    );
  }
  const thread = activity.view.threads.at(-1);
  return (
    <div className="space-y-6">
      {round.reveal ? <GuessReveal round={round} big bars={8} /> : <p className="text-4xl">Waiting for the host.</p>}
      {round.pick && thread ? <ThreadText thread={thread} big /> : null}
    </div>
  );
}

export function GuessFinaleView({ view }: { view: GuessFinale }) {
  return (
    <section className="space-y-6">
      <h2 className="text-4xl font-bold">What we wrote, token by token</h2>
      {view.threads.map((t, i) => (
        <ThreadText key={i} thread={t} big />
      ))}
    </section>
  );
}
