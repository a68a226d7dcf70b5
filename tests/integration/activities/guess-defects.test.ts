// Defects found by trying the first version as a class would; each test failed before the session
// host, and would fail again if its fix were undone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeInference } from "../../../server/inference/fake.ts";
import { GUESS_EVENTS, type GuessPieces, type VoteAck } from "../../../contract/protocol/guess.ts";
import { SESSION_EVENTS, type HostSnapshot } from "../../../contract/protocol/session.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import {
  createSession,
  createTestDatabase,
  expectOk,
  getJson,
  guessRound,
  instructorCookie,
  joinedPlayer,
  roundOf,
  sessionClient,
  startActivity,
  startServer,
  type SessionClient,
  type TestServer,
} from "../session/session-kit.ts";

const PROMPT = "the cat sat on the";

describe("defects of the first version, fixed by the session host", () => {
  let target: TestDatabaseTarget;
  let server: TestServer;
  let cookie: string;
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, new FakeInference({ latencyMs: 20 }));
    cookie = await instructorCookie(server);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server.stop();
    await target.drop();
  });

  async function room(students: number) {
    const created = await createSession(server, cookie, { title: "Defects" });
    const host = sessionClient(server.url, created.code, { role: "host", cookie });
    clients.push(host);
    await host.waitForSnapshot((s) => s.viewer === "host");
    const phones = await Promise.all(Array.from({ length: students }, (_, i) => joinedPlayer(server.url, created.code, `S${i}`)));
    clients.push(...phones);
    return { code: created.code, host, phones };
  }

  it("one student's unstorable guess is refused at the edge, and the other fourteen votes are stored and counted", async () => {
    const { code, host, phones } = await room(15);
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    const acks = await Promise.all(phones.map((p, i) => p.emit<VoteAck>(GUESS_EVENTS.vote, { guess: i === 7 ? "ma\uD800t" : "mat" })));
    expect(acks.map((a) => a.ok)).toEqual(phones.map((_, i) => i !== 7));
    expect(acks[7]).toMatchObject({ ok: false, code: "bad_payload" });
    const stored = await getJson(server, `/api/sessions/${code}/review`, cookie);
    expect(stored.json.data.review.rounds[0].votes).toHaveLength(14);
    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    expect(roundOf(closed.snapshot)!.reveal!.metrics.voters).toBe(14);
  });

  it("a NUL or a lone surrogate in a prompt is refused with a clear code, and the room is not stuck", async () => {
    const { host } = await room(1);
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: "the cat\u0000" }))).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: "the \uDC00cat" }))).toMatchObject({ ok: false, code: "bad_payload" });
    expect((await host.emit<{ snapshot: HostSnapshot }>(SESSION_EVENTS.sync)).ok).toBe(true);
    const started = await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    expect(roundOf(started)?.status).toBe("voting");
  });

  it("a start the model cannot answer fails with its code and leaves nothing running", async () => {
    const { host } = await room(1);
    // The fake model reads at most 64 tokens; a 300-character prompt of short words is longer.
    const long = Array.from({ length: 75 }, () => "cat").join(" ");
    const failed = await host.emit(SESSION_EVENTS.start, guessRound({ mode: "round", prompt: long }));
    expect(failed).toMatchObject({ ok: false, code: "model_prompt_too_long" });
    const snap = await expectOk(host.emit<HostSnapshot>(SESSION_EVENTS.sync));
    expect(snap.activity?.status).toBe("finished");
    expect(roundOf(snap)?.status).toBe("failed");
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
  });

  it("a phone's later vote always counts, even when its earlier one is slower to score", async () => {
    const { host, phones } = await room(2);
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    // "dog" is typed by the class first, so it is cached; "big red" is new and takes longer.
    await expectOk(phones[0]!.emit(GUESS_EVENTS.vote, { guess: "dog" }));
    const slow = phones[1]!.emit<VoteAck>(GUESS_EVENTS.vote, { guess: "big red" });
    const fast = phones[1]!.emit<VoteAck>(GUESS_EVENTS.vote, { guess: "dog" });
    const [first, second] = await Promise.all([slow, fast]);
    expect(first.ok && second.ok).toBe(true);
    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    const bars = roundOf(closed.snapshot)!.reveal!.histogram;
    expect(bars).toEqual([expect.objectContaining({ text: " dog", count: 2 })]);
  });

  it("whether a space was added follows what each student typed, not who typed the word first", async () => {
    const { host, phones } = await room(2);
    await startActivity(host, guessRound({ mode: "round", prompt: PROMPT }));
    const typed = await expectOk(phones[0]!.emit<GuessPieces>(GUESS_EVENTS.preview, { guess: " mat" }));
    const plain = await expectOk(phones[1]!.emit<GuessPieces>(GUESS_EVENTS.preview, { guess: "mat" }));
    expect(typed).toMatchObject({ guess: " mat", mapped: " mat", leadingSpaceAdded: false });
    expect(plain).toMatchObject({ guess: "mat", mapped: " mat", leadingSpaceAdded: true });
    expect(typed.tokens).toEqual(plain.tokens);
  });
});
