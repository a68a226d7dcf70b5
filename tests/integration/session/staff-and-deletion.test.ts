// Staff see only what is theirs, and a session's student data can be deleted for good, by hand or by
// the retention setting. Runs on PostgreSQL, so the rows counted are real rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUESS_EVENTS } from "../../../contract/protocol/guess.ts";
import { FakeInference } from "../../../server/inference/fake.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { createSession, createTestDatabase, expectOk, getJson, guessRound, instructorCookie, joinedPlayer, post, sessionClient, startActivity, startServer, type TestServer } from "./session-kit.ts";

async function invited(server: TestServer, by: string, email: string, role: "instructor" | "facilitator"): Promise<string> {
  const invite = (await (await post(server.url, "/api/accounts", { email, name: email.split("@")[0], role }, by)).json()) as { data: { inviteUrl: string } };
  const token = new URL(invite.data.inviteUrl).searchParams.get("token");
  const res = await post(server.url, "/api/invites/accept", { token, password: "long enough" });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`invite not accepted (${res.status})`);
  return cookie;
}

const del = (server: TestServer, path: string, cookie: string) => fetch(server.url + path, { method: "DELETE", headers: { cookie } });

describe("staff scoping and deleting students' data", () => {
  let target: TestDatabaseTarget;
  let server: TestServer;
  let ada: string;
  let bob: string;
  let fay: string;
  const rows = async (table: "Session" | "Participant" | "Vote", sessionId: string): Promise<number> => {
    const prisma = server.db.prisma;
    if (table === "Session") return prisma.session.count({ where: { id: sessionId } });
    if (table === "Participant") return prisma.participant.count({ where: { sessionId } });
    return prisma.vote.count({ where: { round: { sessionId } } });
  };

  beforeAll(async () => {
    target = await createTestDatabase("postgres");
    server = await startServer(target, new FakeInference());
    ada = await instructorCookie(server);
    bob = await invited(server, ada, "bob@example.org", "instructor");
    fay = await invited(server, ada, "fay@example.org", "facilitator");
  });
  afterAll(async () => {
    await server.stop();
    await target.drop();
  });

  /** A session of Ada's with two students who voted (acknowledged, so committed). */
  async function adasSession(title: string) {
    const room = await createSession(server, ada, { title, prompts: ["the cat sat on the"] });
    const host = sessionClient(server.url, room.code, { role: "host", cookie: ada });
    await host.waitForSnapshot(() => true);
    const phones = await Promise.all(["Ann", "Ben"].map((n) => joinedPlayer(server.url, room.code, n)));
    await startActivity(host, guessRound({ mode: "round", promptIndex: 0, timerSeconds: 600 }));
    for (const p of phones) await expectOk(p.emit(GUESS_EVENTS.vote, { guess: "mat" }));
    return { room, host, phones };
  }

  it("an instructor sees and reviews only their own sessions; a facilitator sees them all; nobody else may delete", async () => {
    const { room, host, phones } = await adasSession("Ada's class");
    try {
      const codes = async (cookie: string) => ((await getJson(server, "/api/sessions", cookie)).json.data.sessions as { code: string }[]).map((s) => s.code);
      expect(await codes(ada)).toContain(room.code);
      expect(await codes(bob)).not.toContain(room.code);
      expect(await codes(fay)).toContain(room.code);
      expect((await getJson(server, `/api/sessions/${room.code}/review`, bob)).status).toBe(404);
      expect((await getJson(server, `/api/sessions/${room.code}/export.json`, bob)).status).toBe(404);
      expect((await getJson(server, `/api/sessions/${room.code}/review`, fay)).status).toBe(200);
      expect((await del(server, `/api/sessions/${room.code}`, bob)).status).toBe(404);
      expect((await del(server, `/api/sessions/${room.code}`, fay)).status).toBe(403);
      expect((await getJson(server, `/api/sessions/${room.code}/review`, ada)).json.data.review.participants).toHaveLength(2);
    } finally {
      for (const c of [host, ...phones]) c.close();
    }
  });

  it("deleting a live session removes its rows for good and sends its phones away", async () => {
    const { room, host, phones } = await adasSession("To delete");
    try {
      const id = (await getJson(server, `/api/sessions/${room.code}/review`, ada)).json.data.review.room.id as string;
      expect(await rows("Vote", id)).toBe(2);
      const gone = new Promise((resolve) => phones[0]!.socket.once("disconnect", resolve));
      const res = await del(server, `/api/sessions/${room.code}`, ada);
      expect(res.status).toBe(200);
      await gone;
      for (const table of ["Session", "Participant", "Vote"] as const) expect(await rows(table, id), table).toBe(0);
      expect((await getJson(server, `/api/sessions/${room.code}/review`, ada)).status).toBe(404);
      expect((await getJson(server, `/api/sessions/${room.code}`)).status).toBe(404);
    } finally {
      for (const c of [host, ...phones]) c.close();
    }
  });

  it("the retention purge deletes the sessions created before its cutoff and keeps the newer ones", async () => {
    const old = await adasSession("Old class");
    const fresh = await adasSession("New class");
    for (const c of [old.host, ...old.phones, fresh.host, ...fresh.phones]) c.close();
    const oldId = (await getJson(server, `/api/sessions/${old.room.code}/review`, ada)).json.data.review.room.id as string;
    const freshId = (await getJson(server, `/api/sessions/${fresh.room.code}/review`, ada)).json.data.review.room.id as string;
    await server.db.prisma.session.update({ where: { id: oldId }, data: { createdAt: new Date(Date.now() - 40 * 86_400_000) } });
    const removed = await server.app.host.purgeCreatedBefore(Date.now() - 30 * 86_400_000);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await rows("Participant", oldId)).toBe(0);
    expect(await rows("Session", oldId)).toBe(0);
    expect(await rows("Vote", freshId)).toBe(2);
  });
});
