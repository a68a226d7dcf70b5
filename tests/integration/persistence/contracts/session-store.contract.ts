import { expect } from "vitest";
import { participantRow, sessionRow, type ContractCase } from "./contract.ts";

export const sessionStoreCases: ContractCase[] = [
  {
    name: "creates a session once per code and finds it by code",
    async run({ sessions }, k) {
      expect(await sessions.createSession(sessionRow(k.session, k.code))).toEqual({ ok: true });
      expect(await sessions.createSession(sessionRow(k.other, k.code))).toEqual({ ok: false, reason: "code_taken" });
      expect((await sessions.loadSession(k.code))?.session).toEqual(sessionRow(k.session, k.code));
      expect(await sessions.loadSession("AAAAAA")).toBeNull();
    },
  },
  {
    name: "keeps the lesson plan it was created with",
    async run({ sessions }, k) {
      const plan = { id: "built-in:x", title: "Plan", steps: [{ kind: "slide" as const, input: { title: "Hi", body: "" }, notes: "n" }] };
      await sessions.createSession({ ...sessionRow(k.session, k.code), plan });
      expect((await sessions.loadSession(k.code))?.session.plan).toEqual(plan);
    },
  },
  {
    name: "updates status, switches, the current activity, the plan step and the end time",
    async run({ sessions }, k) {
      await sessions.createSession(sessionRow(k.session, k.code));
      const updated = { ...sessionRow(k.session, k.code), status: "ended" as const, locked: true, paused: true, leaderboard: true, currentKind: "hat" as const, currentId: "g1", planStep: 3, endedAt: 1_700_000_009_000 };
      await sessions.updateSession(updated);
      expect((await sessions.loadSession(k.code))?.session).toEqual(updated);
    },
  },
  {
    name: "inserts a batch of participants, the last row per id winning",
    async run({ sessions }, k) {
      await sessions.createSession(sessionRow(k.session, k.code));
      const batch = Array.from({ length: 50 }, (_, i) => participantRow(k.p(i), k.session, `N${i}`));
      await sessions.upsertParticipants([...batch, { ...participantRow(k.p(3), k.session, "Renamed"), kicked: true }]);
      await sessions.upsertParticipants([]);
      const loaded = (await sessions.loadSession(k.code))!.participants;
      expect(loaded).toHaveLength(50);
      expect(loaded.find((p) => p.id === k.p(3))).toEqual({ ...participantRow(k.p(3), k.session, "Renamed"), kicked: true });
      expect(loaded.find((p) => p.id === k.p(7))).toEqual(participantRow(k.p(7), k.session, "N7"));
    },
  },
  {
    name: "upserts participants (rename, kick) without changing their token hash",
    async run({ sessions }, k) {
      await sessions.createSession(sessionRow(k.session, k.code));
      await sessions.upsertParticipants([participantRow(k.p(1), k.session, "Ada")]);
      await sessions.upsertParticipants([{ ...participantRow(k.p(1), k.session, "Ada L"), kicked: true, tokenHash: "ignored" }]);
      expect((await sessions.loadSession(k.code))?.participants).toEqual([{ ...participantRow(k.p(1), k.session, "Ada L"), kicked: true }]);
    },
  },
  {
    name: "lists sessions newest first with their participant counts",
    async run({ sessions }, k) {
      await sessions.createSession(sessionRow(k.session, k.code, 1_800_000_000_000 + Number(k.session.split("-")[1]) * 1000));
      await sessions.createSession(sessionRow(k.other, k.otherCode, 1_800_000_000_500 + Number(k.session.split("-")[1]) * 1000));
      await sessions.upsertParticipants([participantRow(k.p(1), k.session)]);
      const list = (await sessions.listSessions()).filter((r) => r.id === k.session || r.id === k.other);
      expect(list.map((r) => [r.code, r.participantCount, r.status])).toEqual([
        [k.otherCode, 0, "open"],
        [k.code, 1, "open"],
      ]);
    },
  },
  {
    name: "lists an owner's sessions, finds old ones, and deletes a session with its participants",
    async run({ sessions }, k) {
      await sessions.createSession({ ...sessionRow(k.session, k.code, 1_600_000_000_000), ownerId: "owner-x" });
      await sessions.createSession(sessionRow(k.other, k.otherCode, 1_900_000_000_000));
      await sessions.upsertParticipants([participantRow(k.p(1), k.session)]);
      expect((await sessions.listSessions("owner-x")).map((r) => r.id)).toEqual([k.session]);
      expect(await sessions.sessionsCreatedBefore(1_600_000_000_001, 10)).toContainEqual({ id: k.session, code: k.code });
      expect(await sessions.sessionsCreatedBefore(1_600_000_000_001, 10)).not.toContainEqual({ id: k.other, code: k.otherCode });
      await sessions.deleteSession(k.session);
      expect(await sessions.loadSession(k.code)).toBeNull();
      expect(await sessions.listSessions("owner-x")).toEqual([]);
      expect((await sessions.loadSession(k.otherCode))?.session.id).toBe(k.other);
    },
  },
];
