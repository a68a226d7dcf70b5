// Role-filtered snapshots of a live session: the session's own view, the current activity's view for
// this role (and this phone's own part), and what every activity left behind once the session ends.
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import type { PlanStepView } from "../../contract/protocol/lesson-plan.ts";
import {
  PROTOCOL_VERSION,
  type CurrentActivity,
  type Finale,
  type HostSnapshot,
  type MeView,
  type PlayerSnapshot,
  type ProjectorSnapshot,
  type Role,
  type SessionCounts,
  type SessionView,
} from "../../contract/protocol/session.ts";
import type { ModelInfo } from "../../contract/inference/port.ts";
import type { ActivityLive } from "./activity.ts";
import { currentActivity, type HostState, type RulesMap } from "./host-machine.ts";
import { connectedCount, participantCount, type SessionState } from "./session-state.ts";

export interface SnapshotSources {
  state: HostState;
  rules: RulesMap;
  lives: Record<ActivityKind, ActivityLive>;
  models: readonly ModelInfo[];
}

export function sessionView(session: SessionState, models: readonly ModelInfo[]): SessionView {
  const plan = session.meta.plan;
  return {
    code: session.meta.code,
    title: session.meta.title,
    status: session.status,
    locked: session.locked,
    leaderboard: session.leaderboard,
    paused: session.paused,
    model: { id: session.meta.model.id, name: session.meta.model.name, hasChatTemplate: models.find((m) => m.id === session.meta.model.id)?.hasChatTemplate ?? false },
    participantCount: participantCount(session),
    connectedCount: connectedCount(session),
    createdAt: session.meta.createdAt,
    endedAt: session.endedAt,
    plan: plan ? { title: plan.title, step: session.planStep === null ? null : session.planStep + 1, steps: plan.steps.length } : null,
  };
}

function activityFor(src: SnapshotSources, role: Role, participantId: string | null, shared?: unknown): CurrentActivity | null {
  const current = currentActivity(src.state, src.rules);
  if (!current) return null;
  const live = src.lives[current.kind];
  const kindState = src.state.activities[current.kind];
  const session = src.state.session;
  return {
    ...current,
    view: shared ?? live.shared(kindState, role, session),
    mine: participantId ? live.mine(kindState, participantId, session) : null,
  } as CurrentActivity;
}

function finale(src: SnapshotSources): Finale[] | null {
  if (src.state.session.status !== "ended") return null;
  const out: Finale[] = [];
  for (const kind of Object.keys(src.lives) as ActivityKind[]) {
    const view = src.lives[kind].finale(src.state.activities[kind], src.state.session);
    if (view !== null) out.push({ kind, view } as Finale);
  }
  return out;
}

function base(src: SnapshotSources) {
  return { protocolVersion: PROTOCOL_VERSION, seq: src.state.session.seq, session: sessionView(src.state.session, src.models), finale: finale(src) };
}

export function meView(session: SessionState, participantId: string): MeView | null {
  const p = session.participants.get(participantId);
  if (!p || p.kicked) return null;
  return { id: p.id, nickname: p.nickname, nicknameNote: p.nicknameNote };
}

/** What every phone shares in one broadcast, computed once and combined with each phone's own part. */
export function playerShared(src: SnapshotSources): { base: ReturnType<typeof base>; activityView: unknown } {
  const current = currentActivity(src.state, src.rules);
  return { base: base(src), activityView: current ? src.lives[current.kind].shared(src.state.activities[current.kind], "player", src.state.session) : undefined };
}

export function playerSnapshot(src: SnapshotSources, participantId: string | null, shared = playerShared(src)): PlayerSnapshot {
  const me = participantId ? meView(src.state.session, participantId) : null;
  return { ...shared.base, viewer: "player", activity: activityFor(src, "player", me ? participantId : null, shared.activityView), me };
}

export function projectorSnapshot(src: SnapshotSources): ProjectorSnapshot {
  const s = src.state.session;
  const names = s.participantOrder.flatMap((id) => {
    const p = s.participants.get(id);
    return p && !p.kicked ? [p.nickname] : [];
  });
  return { ...base(src), viewer: "projector", activity: activityFor(src, "projector", null), join: { url: s.meta.joinUrl, qrSvg: s.meta.qrSvg }, names };
}

function planView(src: SnapshotSources): PlanStepView[] | null {
  const s = src.state.session;
  const plan = s.meta.plan;
  if (!plan) return null;
  return plan.steps.map((step, i) => ({
    number: i + 1,
    kind: step.kind,
    summary: (src.rules[step.kind].summarize as (input: unknown) => string)(step.input),
    notes: step.notes,
    current: s.planStep === i,
    done: s.planStep !== null && i < s.planStep,
  }));
}

export function hostSnapshot(src: SnapshotSources): HostSnapshot {
  const s = src.state.session;
  return {
    ...base(src),
    viewer: "host",
    activity: activityFor(src, "host", null),
    join: { url: s.meta.joinUrl, qrSvg: s.meta.qrSvg },
    prompts: s.meta.prompts,
    participants: s.participantOrder.flatMap((id) => {
      const p = s.participants.get(id)!;
      return p.kicked ? [] : [{ id: p.id, nickname: p.nickname, connected: p.connections > 0, joinedAt: p.joinedAt }];
    }),
    plan: planView(src),
  };
}

export function sessionCounts(src: SnapshotSources): SessionCounts {
  const current = currentActivity(src.state, src.rules);
  const counts = current ? (src.lives[current.kind].counts?.(src.state.activities[current.kind]) ?? null) : null;
  return {
    seq: src.state.session.seq,
    participantCount: participantCount(src.state.session),
    connectedCount: connectedCount(src.state.session),
    activity: current && counts ? { id: current.id, counts } : null,
  };
}
