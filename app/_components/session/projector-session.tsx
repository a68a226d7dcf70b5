"use client";
// The projector: what the class looks at. Type is sized in viewport heights (see stage-kit), every
// view fits one screen, and the join code and QR stay in the corner while an activity runs. The
// activity on the screen is the one the server says is current.
import type { ProjectorSnapshot } from "@/contract/protocol/session";
import { liveCounts, useSession } from "../../_lib/use-session";
import { ACTIVITY_SCREENS, type ActivityScreens } from "../activities/registry";
import { Pager } from "../stage/pager";
import { Figure, JoinCorner } from "../stage/stage-kit";

export function ProjectorSession({ code }: { code: string }) {
  const { snapshot, counts, refusal } = useSession<ProjectorSnapshot>(code, "projector");
  if (refusal)
    return (
      <main className="flex h-dvh flex-col justify-center gap-[4vh] px-[6vw] text-stage-m">
        <p>{refusal.message}</p>
        {refusal.code === "unauthorized" ? (
          <p>
            This screen shows a room to its instructor.{" "}
            <a className="font-bold text-hat-300 underline" href={`/signin?next=${encodeURIComponent(`/projector/${code}`)}`}>
              Sign in to show room {code}
            </a>
          </p>
        ) : null}
      </main>
    );
  if (!snapshot) return <main className="flex h-dvh items-center px-[6vw] text-stage-m">Connecting to room {code}…</main>;
  const live = liveCounts(snapshot, counts);
  const activity = snapshot.activity;
  const ended = snapshot.session.status === "ended";
  const screens = activity ? (ACTIVITY_SCREENS[activity.kind] as unknown as ActivityScreens<typeof activity.kind>) : null;
  const plan = snapshot.session.plan;
  return (
    <main className="flex h-dvh flex-col gap-[2vh] overflow-hidden px-[3vw] py-[2.5vh]">
      <header className="flex items-center justify-between gap-[2vw]">
        <div className="min-w-0 text-stage-s text-slate-300">
          <p className="line-clamp-1 font-semibold text-white">{snapshot.session.title}</p>
          <p>
            <b className="tabular-nums text-white">{live.participants}</b> in the room
            {plan && plan.step !== null ? ` · step ${plan.step} of ${plan.steps}` : ""}
            {snapshot.session.paused ? <b className="ml-[1vw] rounded-[0.6vh] bg-sky-400 px-[0.6vw] text-ink">Paused</b> : null}
          </p>
        </div>
        {activity && !ended ? <JoinCorner url={snapshot.join.url} code={snapshot.session.code} qrSvg={snapshot.join.qrSvg} /> : null}
      </header>
      <div aria-live="polite" className="flex min-h-0 flex-1 flex-col">
        {ended ? (
          <Finale snapshot={snapshot} />
        ) : activity && screens ? (
          <screens.Projector activity={activity as never} snapshot={snapshot} live={live.activity} people={live.participants} />
        ) : (
          <Lobby snapshot={snapshot} participants={live.participants} />
        )}
      </div>
    </main>
  );
}

/** The end of the session: what each activity left behind, one screen at a time, in turn. */
function Finale({ snapshot }: { snapshot: ProjectorSnapshot }) {
  const pages = (snapshot.finale ?? []).flatMap((part) => {
    const screens = ACTIVITY_SCREENS[part.kind] as unknown as ActivityScreens<typeof part.kind>;
    return screens.finalePages ? screens.finalePages(part.view as never) : [];
  });
  if (pages.length === 0) return <p className="text-stage-l">The session has ended. Thank you!</p>;
  return <Pager pages={pages} seconds={12} label="End of the session" />;
}

function Lobby({ snapshot, participants }: { snapshot: ProjectorSnapshot; participants: number }) {
  const address = snapshot.join.url.replace(/^https?:\/\//, "").replace(/\/join\/.*$/, "");
  const names = snapshot.names;
  return (
    <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_auto] gap-[3vw]">
      <div className="flex min-h-0 flex-col gap-[2.5vh]">
        <p className="text-stage-l font-bold">Join on your phone</p>
        <p className="text-stage-m">
          Scan the QR code, or open <b className="break-all text-hat-300">{address}</b> and type the code
        </p>
        <div>
          <p className="text-stage-s text-slate-300">Room code</p>
          <p data-figure className="font-mono text-stage-hero font-black tracking-[0.15em] text-hat-300">
            {snapshot.session.code}
          </p>
        </div>
        <Figure label="Joined so far" value={participants} />
        {names.length ? (
          <ul aria-label="Who has joined" className="flex min-h-0 flex-wrap gap-[0.8vh] overflow-hidden text-stage-s">
            {names.slice(-18).map((n, i) => (
              <li key={`${n}-${i}`} className="rounded-full bg-slate-800 px-[1vw]">
                {n}
              </li>
            ))}
            {names.length > 18 ? <li className="px-[1vw] text-slate-300">and {names.length - 18} more</li> : null}
          </ul>
        ) : null}
      </div>
      <div className="aspect-square h-[62vh] self-center rounded-[2vh] bg-white p-[1.5vh]" role="img" aria-label={`QR code for ${snapshot.join.url}`} dangerouslySetInnerHTML={{ __html: snapshot.join.qrSvg }} />
    </div>
  );
}
