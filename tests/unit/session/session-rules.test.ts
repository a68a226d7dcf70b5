// Table tests of the session's own rules and of the host machine that ties activities together.
import { describe, expect, it } from "vitest";
import { currentActivity } from "../../../server/session/host-machine.ts";
import { hostSnapshot, playerSnapshot, projectorSnapshot, sessionCounts } from "../../../server/session/session-snapshot.ts";
import { effectsOf, g, join, prepared, rejects, rules, run, s, sources, start, vote, voting, world } from "./host-world.ts";

const plan = {
  id: "p1",
  title: "Plan",
  steps: [
    { kind: "slide" as const, input: { title: "Hello", body: "" }, notes: "say hi" },
    { kind: "guess" as const, input: { mode: "round" as const, prompt: "Once upon a" }, notes: "" },
    { kind: "slide" as const, input: { title: "Bye", body: "" }, notes: "" },
  ],
};

describe("joining", () => {
  it("a join adds a participant, persists it and tells the host and counts", () => {
    const w = run(world(), join("a", "  Ada  "));
    expect(w.state.session.participants.get("a")).toMatchObject({ nickname: "Ada", connections: 1, kicked: false, nicknameNote: null });
    expect(effectsOf(w)).toContainEqual({ type: "persist", op: { kind: "participant", participant: w.state.session.participants.get("a") } });
    expect(effectsOf(w)).toContainEqual({ type: "counts" });
  });

  it("a duplicate nickname gets a suffix, and the phone is told why", () => {
    const w = run(world(), join("a", "Ada"), join("b", "ada"));
    expect(w.state.session.participants.get("b")).toMatchObject({ nickname: "ada 2", nicknameNote: expect.stringContaining("ada 2") });
    expect(playerSnapshot(sources(w), "b").me?.nicknameNote).toContain("already has that name");
  });

  it("a long nickname is cut, and the phone is told so", () => {
    const w = run(world(), join("a", "x".repeat(40)));
    expect(w.state.session.participants.get("a")?.nicknameNote).toContain("at most 24");
  });

  it.each([
    ["an invisible nickname is refused", () => world(), join("x", "\u200B\u200B"), "nickname_empty"],
    ["a nickname of blank Braille patterns is refused", () => world(), join("x", "\u2800\u2800"), "nickname_empty"],
    ["a locked room refuses new joins", () => run(world(), s({ type: "setLocked", locked: true })), join("x"), "room_locked"],
    ["an ended room refuses joins", () => run(world(), s({ type: "end" })), join("x"), "room_ended"],
    ["the same participant id cannot join twice", () => run(world(), join("x")), join("x"), "already_joined"],
    ["a full room refuses joins", () => run(world({ capacity: 2 }), join("a"), join("b")), join("c"), "room_full"],
  ] as const)("%s", (_rule, setup, command, code) => {
    expect(rejects(setup(), command)).toBe(code);
  });

  it("a kicked participant cannot connect again, but the lock does not stop a returning one", () => {
    const w = run(world(), join("a"), join("b"), s({ type: "setLocked", locked: true }), s({ type: "kick", participantIds: ["a"] }));
    expect(rejects(w, s({ type: "connect", participantId: "a" }))).toBe("kicked");
    run(w, s({ type: "disconnect", participantId: "b" }), s({ type: "connect", participantId: "b" }));
    expect(w.state.session.participants.get("b")?.connections).toBe(1);
  });

  it("a recount sets each participant's connections to the sockets counted, never a kicked one's", () => {
    const w = run(world(), join("a"), join("b"), join("c"), s({ type: "kick", participantIds: ["c"] }));
    const before = w.state;
    run(w, s({ type: "recount", connections: { a: 2, c: 1 }, before: { a: 1, b: 1, c: 0 } }));
    const p = w.state.session.participants;
    expect([p.get("a")?.connections, p.get("b")?.connections, p.get("c")?.connections]).toEqual([2, 0, 0]);
    expect(effectsOf(w).map((e) => e.type)).not.toContain("persist");
    // The same counts again change nothing.
    const settled = w.state;
    run(w, s({ type: "recount", connections: { a: 2 }, before: { a: 2, b: 0 } }));
    expect(w.state.session.participants).toBe(settled.session.participants);
    expect(before.session.participants.get("a")?.connections).toBe(1);
  });

  it("a recount leaves alone whoever joined, came or went while it counted, and sends a phone found again the room", () => {
    const w = run(world(), join("a"), join("b"), s({ type: "disconnect", participantId: "b" }));
    // Counted while "c" was joining and "a" opened a second tab: neither is in the count yet.
    const before = { a: 1, b: 0 };
    run(w, join("c"), s({ type: "connect", participantId: "a" }));
    run(w, s({ type: "recount", connections: { a: 1, b: 1 }, before }));
    const p = w.state.session.participants;
    expect([p.get("a")?.connections, p.get("b")?.connections, p.get("c")?.connections]).toEqual([2, 1, 1]);
    expect(effectsOf(w)).toContainEqual({ type: "announce", audience: { to: "participant", participantId: "b" } });
  });
});

describe("host controls", () => {
  it("rename cleans the name, refuses a name someone else has, and tells the phone", () => {
    const w = run(world(), join("a", "Ada"), join("b", "Bo"));
    expect(rejects(w, s({ type: "rename", participantId: "b", nickname: " ada\u200B " }))).toBe("nickname_taken");
    run(w, s({ type: "rename", participantId: "b", nickname: " Bea\u200B " }));
    expect(w.state.session.participants.get("b")).toMatchObject({ nickname: "Bea", nicknameNote: expect.stringContaining("renamed") });
    expect(rejects(w, s({ type: "rename", participantId: "zz", nickname: "x" }))).toBe("participant_not_found");
  });

  it("kick removes a whole burst of joins at once and disconnects each phone", () => {
    const w = run(world(), join("a"), join("b"), join("c"), s({ type: "kick", participantIds: ["a", "b"] }));
    expect(effectsOf(w).filter((e) => e.type === "disconnect")).toEqual([
      { type: "disconnect", participantId: "a" },
      { type: "disconnect", participantId: "b" },
    ]);
    expect(sessionCounts(sources(w)).participantCount).toBe(1);
    expect(hostSnapshot(sources(w)).participants.map((p) => p.id)).toEqual(["c"]);
  });

  it("every accepted change increases seq, so clients can drop stale snapshots; a no-op does not", () => {
    const w = world();
    const seqs: number[] = [];
    for (const c of [join("a"), s({ type: "setLocked", locked: true }), s({ type: "setLocked", locked: true }), s({ type: "setPaused", paused: true })]) {
      run(w, c);
      seqs.push(w.state.session.seq);
    }
    expect(seqs).toEqual([1, 2, 2, 3]);
  });
});

describe("one activity at a time", () => {
  it("the current activity is server state in every role's snapshot, with its status", () => {
    const w = voting();
    for (const snap of [hostSnapshot(sources(w)), projectorSnapshot(sources(w)), playerSnapshot(sources(w), "a")]) {
      expect(snap.activity).toMatchObject({ kind: "guess", id: "r1", status: "running" });
    }
    run(w, g({ type: "close" }));
    expect(currentActivity(w.state, rules)).toEqual({ kind: "guess", id: "r1", status: "finished" });
  });

  it("starting any activity while another runs is refused with one code", () => {
    const w = voting();
    expect(rejects(w, start("g1", { kind: "hat", input: { templateId: "capitals" } }))).toBe("activity_running");
    expect(rejects(w, start("s1", { kind: "slide", input: { title: "x", body: "" } }))).toBe("activity_running");
    const hat = run(world(), start("g1", { kind: "hat", input: { templateId: "capitals" } }));
    expect(rejects(hat, start("r1", { kind: "guess", input: { mode: "round", prompt: "x" } }))).toBe("activity_running");
  });

  it("after a finished hat game the next round becomes current, and a reload lands on it", () => {
    const w = run(world(), join("a"), start("g1", { kind: "hat", input: { templateId: "capitals" } }), { to: "finish" });
    expect(currentActivity(w.state, rules)?.kind).toBe("hat");
    run(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "Once upon a" } }), prepared("r1"));
    expect(playerSnapshot(sources(w), "a").activity).toMatchObject({ kind: "guess", id: "r1", status: "running" });
    expect(projectorSnapshot(sources(w)).activity?.kind).toBe("guess");
  });

  it("Finish stops whatever runs; with nothing running it is refused", () => {
    const w = run(voting(), vote("a", 10, 0.5), { to: "finish" });
    expect(currentActivity(w.state, rules)?.status).toBe("finished");
    expect(rejects(w, { to: "finish" })).toBe("no_activity");
  });
});

describe("lesson plans", () => {
  it("Next starts the plan's steps in order and records the step, so a restart resumes there", () => {
    const w = run(world({ plan }), join("a"), { to: "next", id: "x1" });
    expect(w.state.session.current).toEqual({ kind: "slide", id: "x1" });
    expect(w.state.session.planStep).toBe(0);
    expect(effectsOf(w)).toContainEqual({ type: "persist", op: { kind: "session" } });
    run(w, { to: "next", id: "x2" });
    expect(w.state.session.current).toEqual({ kind: "guess", id: "x2" });
    expect(w.state.session.planStep).toBe(1);
    expect(rejects(w, { to: "next", id: "x3" })).toBe("activity_running");
    run(w, prepared("x2"), g({ type: "close" }), { to: "next", id: "x3" });
    expect(w.state.session.planStep).toBe(2);
    expect(rejects(w, { to: "next", id: "x4" })).toBe("plan_done");
  });

  it("presenter notes go to the host only", () => {
    const w = run(world({ plan }), { to: "next", id: "x1" });
    expect(hostSnapshot(sources(w)).plan?.[0]).toMatchObject({ summary: "Slide: Hello", notes: "say hi", current: true });
    expect(JSON.stringify(projectorSnapshot(sources(w)))).not.toContain("say hi");
    expect(JSON.stringify(playerSnapshot(sources(w), null))).not.toContain("say hi");
    expect(projectorSnapshot(sources(w)).session.plan).toEqual({ title: "Plan", step: 1, steps: 3 });
  });

  it("the same Next or Start again (sent to a new owner after the first committed it) is already done", () => {
    const w = run(world({ plan }), join("a"), { to: "next", id: "x1" });
    const after = w.state;
    // The first step is a slide: nothing runs, so a second Next with a new id would move on.
    run(w, { to: "next", id: "x1" });
    expect(w.state).toBe(after);
    expect(w.effects).toEqual([]);
    expect(w.state.session.planStep).toBe(0);
    run(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "Once upon a" } }));
    const seq = w.state.session.seq;
    run(w, start("r1", { kind: "guess", input: { mode: "round", prompt: "Once upon a" } }));
    expect(w.state.session.seq).toBe(seq);
    expect(w.state.session.current).toEqual({ kind: "guess", id: "r1" });
  });

  it("a session without a plan refuses Next", () => {
    expect(rejects(world(), { to: "next", id: "x" })).toBe("plan_none");
  });
});
