"use client";
// The instructor's console: drive rounds, choose the next token, manage the room.
import Link from "next/link";
import { useEffect, useState } from "react";
import { ROOM_EVENTS, type Ack, type CompareMode, type HostSnapshot } from "@/server/protocol/room-protocol";
import { useRoom } from "../../_lib/use-room";
import { ErrorNote } from "../form-bits";
import { CompareView, GuessReveal, ThreadText } from "./round-reveal";
import { TokenBoxes } from "./token-views";
import { TrainingSearch } from "./training-lookup";
import { HostHatRunning, HostHatStart } from "../hat/host-hat";
import { useHat, useHatActive } from "../hat/use-hat";
import type { StaffHatSnapshot } from "@/server/protocol/hat-protocol";

type Room = ReturnType<typeof useRoom<HostSnapshot>>;

const button = "h-12 rounded-xl px-4 text-lg font-semibold disabled:opacity-50";
const primary = `${button} bg-hat-400 text-ink hover:bg-hat-300`;
const secondary = `${button} border-2 border-slate-500 hover:border-hat-400`;
const inputCls = "w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-3 py-2 text-lg";

export function HostConsole({ code }: { code: string }) {
  const room = useRoom<HostSnapshot>(code, "host");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { snapshot, counts, refusal } = room;
  // The hat game (Mad Libs) is another activity in the room; see app/_components/hat.
  const hat = useHat<StaffHatSnapshot>(room.socket);
  const hatActive = useHatActive(hat.snapshot, snapshot?.round?.id ?? null);

  /** Runs a host action; the ack carries the new snapshot, which useRoom applies. */
  async function act(run: () => Promise<Ack<unknown>>) {
    setBusy(true);
    const r = await run();
    setBusy(false);
    setError(r.ok ? null : r.message);
  }

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

  const round = snapshot.round;
  const fresh = counts && counts.seq >= snapshot.seq;
  const votes = fresh && counts.roundId === round?.id ? counts.voteCount : (round?.voteCount ?? 0);
  const ended = snapshot.room.phase === "ended";
  const roundOpen = round && (round.status === "preparing" || round.status === "voting");
  const awaitingPick = round && round.kind === "guess" && round.status === "revealed";
  const thread = snapshot.threads[snapshot.threads.length - 1];

  return (
    <main className="mx-auto grid w-full max-w-7xl gap-6 px-5 py-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        <header className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h1 className="text-3xl font-extrabold">{snapshot.room.title}</h1>
            <p className="text-lg text-slate-300">
              Code <b className="font-mono text-hat-300">{snapshot.room.code}</b> · model {snapshot.room.model.name} · {snapshot.room.phase}
              {snapshot.room.locked ? " · locked" : ""}
              {snapshot.room.paused ? " · paused" : ""}
            </p>
          </div>
          <div className="flex gap-2">
            <a href={`/projector/${snapshot.room.code}`} target="_blank" rel="noreferrer" className={`${secondary} inline-flex items-center`}>
              Open projector view
            </a>
            <Link href="/dashboard" className={`${secondary} inline-flex items-center`}>
              Dashboard
            </Link>
          </div>
        </header>
        <ErrorNote message={error} />

        {hatActive && hat.snapshot?.game ? <HostHatRunning hat={hat} /> : null}
        {ended ? (
          <p className="text-xl">This session has ended. Review it from the dashboard.</p>
        ) : hat.snapshot?.game?.status === "running" ? null : roundOpen ? (
          <section className="space-y-4 rounded-2xl border-2 border-slate-700 p-5">
            <h2 className="text-2xl font-bold">
              Round {round.number}
              {round.kind === "compare" ? " (compare)" : ""}: {round.status === "preparing" ? "the model is computing…" : `${votes} vote${votes === 1 ? "" : "s"}`}
            </h2>
            {round.prefix.length ? <TokenBoxes tokens={round.prefix} /> : null}
            <div className="flex flex-wrap gap-2">
              <button className={primary} disabled={busy || round.status !== "voting"} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostCloseRound, {}))}>
                Close and reveal
              </button>
              <button className={secondary} disabled={busy} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostSkip, {}))}>
                Skip round
              </button>
            </div>
          </section>
        ) : (
          <>
            {awaitingPick ? <PickPanel room={room} act={act} busy={busy} /> : null}
            {!awaitingPick ? <StartPanel room={room} act={act} busy={busy} prompts={snapshot.prompts} hasText={Boolean(thread?.appended.length)} /> : null}
            {!awaitingPick ? <HostHatStart hat={hat} disabled={busy} /> : null}
          </>
        )}

        {round && round.kind === "guess" && round.reveal ? (
          <section className="rounded-2xl border-2 border-slate-700 p-5">
            <GuessReveal round={round} />
          </section>
        ) : null}
        {round && round.kind === "compare" && round.compare ? (
          <section className="rounded-2xl border-2 border-slate-700 p-5">
            <CompareView round={round} />
          </section>
        ) : null}
        {thread && thread.appended.length ? (
          <section className="rounded-2xl border-2 border-slate-700 p-5">
            <h2 className="mb-2 text-xl font-bold">The text so far</h2>
            <ThreadText thread={thread} />
          </section>
        ) : null}
      </div>

      <aside className="space-y-4">
        <RoomControls room={room} act={act} busy={busy} />
        <Participants room={room} act={act} busy={busy} />
        <TrainingSearch />
      </aside>
    </main>
  );
}

type Act = (run: () => Promise<Ack<unknown>>) => Promise<void>;

function StartPanel({ room, act, busy, prompts, hasText }: { room: Room; act: Act; busy: boolean; prompts: string[]; hasText: boolean }) {
  const [prompt, setPrompt] = useState("");
  const [timer, setTimer] = useState(0);
  const [mode, setMode] = useState<CompareMode>("prompts");
  const [promptB, setPromptB] = useState("");
  const [modelB, setModelB] = useState("");
  const [models, setModels] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    void fetch("/api/health")
      .then((r) => r.json())
      .then((h: { inference?: { models?: { id: string; name: string }[] } }) => setModels(h.inference?.models ?? []))
      .catch(() => undefined);
  }, []);
  const timerSeconds = timer > 0 ? timer : undefined;

  return (
    <section className="space-y-4 rounded-2xl border-2 border-slate-700 p-5" aria-label="Start a round">
      <h2 className="text-2xl font-bold">Next round</h2>
      <label className="block">
        <span className="mb-1 block font-semibold">Prompt {hasText ? "(leave empty to continue the text)" : ""}</span>
        <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} rows={2} className={inputCls} placeholder="The capital of France is" />
      </label>
      {prompts.length ? (
        <label className="block">
          <span className="mb-1 block font-semibold">…or a prepared prompt</span>
          <select className={inputCls} value="" onChange={(e) => setPrompt(prompts[Number(e.target.value)] ?? "")}>
            <option value="">Choose…</option>
            {prompts.map((p, i) => (
              <option key={i} value={i}>
                {p.slice(0, 90)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <label>
          <span className="mb-1 block font-semibold">Timer</span>
          <select className={inputCls} value={timer} onChange={(e) => setTimer(Number(e.target.value))}>
            <option value={0}>None: I close it</option>
            <option value={20}>20 s</option>
            <option value={30}>30 s</option>
            <option value={60}>60 s</option>
          </select>
        </label>
        <button
          className={primary}
          disabled={busy || (!prompt.trim() && !hasText)}
          onClick={() => void act(() => room.emit(ROOM_EVENTS.hostStartRound, { ...(prompt.trim() ? { prompt } : {}), timerSeconds }))}
        >
          {prompt.trim() ? "Start guess round" : "Continue the text"}
        </button>
      </div>

      <details className="rounded-xl border border-slate-700 p-3">
        <summary className="cursor-pointer text-lg font-semibold">Compare two distributions</summary>
        <div className="mt-3 space-y-3">
          <select className={inputCls} value={mode} onChange={(e) => setMode(e.target.value as CompareMode)} aria-label="Compare what">
            <option value="prompts">Two prompts (e.g. a famous name vs a made-up one)</option>
            <option value="chat">Raw prompt vs wrapped in the chat template</option>
            <option value="models">Two models, same prompt</option>
          </select>
          <p className="text-base text-slate-400">Uses the prompt above as A.</p>
          {mode === "prompts" ? <textarea value={promptB} onChange={(e) => setPromptB(e.target.value)} rows={2} className={inputCls} placeholder="Prompt B: Blake Bourne was a" aria-label="Prompt B" /> : null}
          {mode === "models" ? (
            <select className={inputCls} value={modelB} onChange={(e) => setModelB(e.target.value)} aria-label="Model B">
              <option value="">Choose model B…</option>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          ) : null}
          <button
            className={secondary}
            disabled={busy || !prompt.trim()}
            onClick={() =>
              void act(() =>
                room.emit(
                  ROOM_EVENTS.hostStartCompare,
                  mode === "prompts" ? { mode, prompt, promptB } : mode === "models" ? { mode, prompt, modelB } : { mode, prompt },
                ),
              )
            }
          >
            Show the comparison
          </button>
        </div>
      </details>
    </section>
  );
}

function PickPanel({ room, act, busy }: { room: Room; act: Act; busy: boolean }) {
  const [temperature, setTemperature] = useState(1);
  return (
    <section className="space-y-3 rounded-2xl border-2 border-hat-400 p-5" aria-label="Choose the next token">
      <h2 className="text-2xl font-bold">Which token goes next?</h2>
      <div className="flex flex-wrap gap-2">
        <button className={primary} disabled={busy} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostPickToken, { how: "favourite" }))}>
          Class favourite
        </button>
        <button className={primary} disabled={busy} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostPickToken, { how: "model_top" }))}>
          Model&apos;s top token
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-3 text-lg">
          Temperature
          <input type="range" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} aria-valuetext={temperature.toFixed(1)} />
          <span className="w-10 font-mono">{temperature.toFixed(1)}</span>
        </label>
        <button className={secondary} disabled={busy} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostPickToken, { how: "sample", temperature }))}>
          Sample from the model
        </button>
      </div>
    </section>
  );
}

function RoomControls({ room, act, busy }: { room: Room; act: Act; busy: boolean }) {
  const s = room.snapshot!;
  const ended = s.room.phase === "ended";
  return (
    <section className="space-y-3 rounded-2xl border-2 border-slate-700 p-4" aria-label="Room controls">
      <p className="break-all text-base">
        Join link: <span className="font-mono text-hat-300">{s.join.url}</span>
      </p>
      <div className="grid grid-cols-2 gap-2">
        <button className={secondary} disabled={busy || ended} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostSetPaused, { paused: !s.room.paused }))}>
          {s.room.paused ? "Resume" : "Pause"}
        </button>
        <button className={secondary} disabled={busy || ended} onClick={() => void act(() => room.emit(ROOM_EVENTS.hostSetLocked, { locked: !s.room.locked }))}>
          {s.room.locked ? "Unlock room" : "Lock room"}
        </button>
      </div>
      <button
        className={`${secondary} w-full`}
        disabled={busy || ended}
        onClick={() => {
          if (window.confirm("End the session for everyone? The projector will show the text you wrote.")) void act(() => room.emit(ROOM_EVENTS.hostEndSession, {}));
        }}
      >
        End session
      </button>
    </section>
  );
}

function Participants({ room, act, busy }: { room: Room; act: Act; busy: boolean }) {
  const s = room.snapshot!;
  const people = s.participants.filter((p) => !p.kicked);
  return (
    <section className="rounded-2xl border-2 border-slate-700 p-4" aria-label="Participants">
      <h2 className="text-xl font-bold">
        {people.length} participant{people.length === 1 ? "" : "s"} ({people.filter((p) => p.connected).length} online)
      </h2>
      <ul className="mt-2 max-h-[28rem] divide-y divide-slate-800 overflow-y-auto">
        {people.map((p) => (
          <li key={p.id} className="flex items-center gap-2 py-1.5 text-base">
            <span aria-label={p.connected ? "online" : "offline"} title={p.connected ? "online" : "offline"}>
              {p.connected ? "●" : "○"}
            </span>
            <span className="flex-1 truncate">{p.nickname}</span>
            {p.votedThisRound ? <span className="text-emerald-300">voted</span> : null}
            <button
              className="rounded-lg border border-slate-600 px-2"
              disabled={busy}
              onClick={() => {
                const nickname = window.prompt(`Rename ${p.nickname} to:`, p.nickname);
                if (nickname) void act(() => room.emit(ROOM_EVENTS.hostRename, { participantId: p.id, nickname }));
              }}
            >
              Rename
            </button>
            <button
              className="rounded-lg border border-rose-500 px-2 text-rose-200"
              disabled={busy}
              onClick={() => {
                if (window.confirm(`Remove ${p.nickname} from the room?`)) void act(() => room.emit(ROOM_EVENTS.hostKick, { participantId: p.id }));
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
