// The whole live session as one pure state machine: the session's rules plus every activity's,
// with the rules that tie them together. One activity at a time (one rule, one code), the lesson
// plan's Next, Finish, and session changes passed on to the activities. No I/O: session-host.ts
// runs the effects this returns.
import type { ActivityKind, ActivityStart } from "../../contract/protocol/activities.ts";
import type { ActivityStatus, ErrorCode } from "../../contract/protocol/session.ts";
import type { ModelInfo } from "../../contract/inference/port.ts";
import type { ActivityRules, Applied, Effect, RuleContext, SessionEvent } from "./activity.ts";
import { applySession, persistSession, type SessionCommand, type SessionOp } from "./session-rules.ts";
import type { SessionState } from "./session-state.ts";

export type ActivityStates = Record<ActivityKind, unknown>;

export interface HostState {
  session: SessionState;
  activities: ActivityStates;
}

export type HostCommand =
  | { to: "session"; command: SessionCommand }
  | { to: "start"; start: ActivityStart; id: string }
  /** The lesson plan's next step, with the id its activity gets. */
  | { to: "next"; id: string }
  | { to: "finish" }
  | { to: "activity"; kind: ActivityKind; command: { type: string } }
  /** After loading from the database. */
  | { to: "resume" };

export type Owner = "session" | ActivityKind;
export interface OwnedEffect {
  owner: Owner;
  effect: Effect;
}

export type HostApplied = { ok: true; state: HostState; effects: OwnedEffect[] } | { ok: false; code: ErrorCode };

export interface HostContext {
  now: number;
  rng: () => number;
  models: readonly ModelInfo[];
}

export type RulesMap = { [K in ActivityKind]: ActivityRules<K, unknown, { type: string }> };

const own = (owner: Owner, effects: readonly Effect[]): OwnedEffect[] => effects.map((effect) => ({ owner, effect }));
const ruleContext = (ctx: HostContext, session: SessionState): RuleContext => ({ now: ctx.now, rng: ctx.rng, models: ctx.models, session });

/**
 * The current activity with its status. A pointer to an instance its kind no longer holds (one a
 * restart lost before it was stored) means nothing is on the screen.
 */
export function currentActivity(state: HostState, rules: RulesMap): { kind: ActivityKind; id: string; status: ActivityStatus } | null {
  const pointer = state.session.current;
  if (!pointer) return null;
  const now = rules[pointer.kind].current(state.activities[pointer.kind]);
  return now?.id === pointer.id ? { ...pointer, status: now.status } : null;
}

function bump(state: HostState, effects: OwnedEffect[]): HostApplied {
  return { ok: true, state: { ...state, session: { ...state.session, seq: state.session.seq + 1 } }, effects };
}

/** Applies an activity's result on top of `state`. */
function withActivity(state: HostState, kind: ActivityKind, result: Applied<unknown>): { state: HostState; effects: OwnedEffect[] } | { code: ErrorCode } {
  if (!result.ok) return { code: result.code };
  return { state: { ...state, activities: { ...state.activities, [kind]: result.state } }, effects: own(kind, result.effects) };
}

/** Tells every activity what happened to the session; a reaction never fails the session command. */
function react(state: HostState, events: SessionEvent[], ctx: HostContext, rules: RulesMap): { state: HostState; effects: OwnedEffect[] } {
  let next = state;
  const effects: OwnedEffect[] = [];
  for (const event of events) {
    for (const kind of Object.keys(rules) as ActivityKind[]) {
      const result = rules[kind].react?.(next.activities[kind], event, ruleContext(ctx, next.session));
      if (!result?.ok) continue;
      const applied = withActivity(next, kind, result);
      if ("code" in applied) continue;
      next = applied.state;
      effects.push(...applied.effects);
    }
  }
  return { state: next, effects };
}

function start(state: HostState, startCmd: ActivityStart, id: string, ctx: HostContext, rules: RulesMap): HostApplied {
  if (state.session.status === "ended") return { ok: false, code: "room_ended" };
  // The one rule: nothing new starts while something runs.
  if (currentActivity(state, rules)?.status === "running") return { ok: false, code: "activity_running" };
  const kind = startCmd.kind;
  const module = rules[kind] as ActivityRules;
  const applied = withActivity(state, kind, module.start(state.activities[kind], startCmd.input as never, id, ruleContext(ctx, state.session)));
  if ("code" in applied) return { ok: false, code: applied.code };
  const session = { ...applied.state.session, current: { kind, id } };
  return bump({ ...applied.state, session }, [...own("session", [persistSession, { type: "announce", audience: { to: "everyone" } }, { type: "counts" }]), ...applied.effects]);
}

/** The lesson plan's next step. */
function next(state: HostState, id: string, ctx: HostContext, rules: RulesMap): HostApplied {
  const plan = state.session.meta.plan;
  if (!plan) return { ok: false, code: "plan_none" };
  const index = (state.session.planStep ?? -1) + 1;
  const step = plan.steps[index];
  if (!step) return { ok: false, code: "plan_done" };
  const started = start(state, { kind: step.kind, input: step.input } as ActivityStart, id, ctx, rules);
  if (!started.ok) return started;
  return { ...started, state: { ...started.state, session: { ...started.state.session, planStep: index } } };
}

export function applyHost(state: HostState, command: HostCommand, ctx: HostContext, rules: RulesMap): HostApplied {
  switch (command.to) {
    case "session": {
      const result = applySession(state.session, command.command, ruleContext(ctx, state.session));
      if (!result.ok) return result;
      if (result.state === state.session && result.effects.length === 0) return { ok: true, state, effects: [] };
      const reacted = react({ ...state, session: result.state }, result.events, ctx, rules);
      return bump(reacted.state, [...own("session", result.effects as Effect<SessionOp>[]), ...reacted.effects]);
    }
    case "start":
    case "next":
      // The same command again (sent to a new owner after the first committed it): already done.
      if (state.session.current?.id === command.id) return { ok: true, state, effects: [] };
      return command.to === "start" ? start(state, command.start, command.id, ctx, rules) : next(state, command.id, ctx, rules);
    case "finish": {
      const current = currentActivity(state, rules);
      if (!current || current.status !== "running") return { ok: false, code: "no_activity" };
      const applied = withActivity(state, current.kind, rules[current.kind].finish(state.activities[current.kind], ruleContext(ctx, state.session)));
      if ("code" in applied) return { ok: false, code: applied.code };
      return bump(applied.state, applied.effects);
    }
    case "activity": {
      const module = rules[command.kind] as ActivityRules;
      const before = state.activities[command.kind];
      const applied = withActivity(state, command.kind, module.apply(before, command.command, ruleContext(ctx, state.session)));
      if ("code" in applied) return { ok: false, code: applied.code };
      if (applied.state.activities[command.kind] === before && applied.effects.length === 0) return { ok: true, state, effects: [] };
      return bump(applied.state, applied.effects);
    }
    case "resume": {
      let next = state;
      const effects: OwnedEffect[] = [];
      for (const kind of Object.keys(rules) as ActivityKind[]) {
        const result = rules[kind].resume?.(next.activities[kind], ruleContext(ctx, next.session));
        if (!result) continue;
        const applied = withActivity(next, kind, result);
        if ("code" in applied) continue;
        next = applied.state;
        effects.push(...applied.effects);
      }
      return bump(next, effects);
    }
  }
}
