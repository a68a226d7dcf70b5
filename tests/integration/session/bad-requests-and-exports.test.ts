// Malformed HTTP requests are the client's mistake (4xx, a clear code, no stack trace), and the CSV
// exports cannot carry a spreadsheet formula, even one hidden behind a U+2028 line separator.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUESS_EVENTS } from "../../../contract/protocol/guess.ts";
import { FakeInference } from "../../../server/inference/fake.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { createSession, createTestDatabase, expectOk, guessRound, instructorCookie, joinedPlayer, sessionClient, startActivity, startServer, type TestServer } from "./session-kit.ts";

/** A raw request, so paths and headers reach the server exactly as written. */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe("bad requests and safe exports", () => {
  let target: TestDatabaseTarget;
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, new FakeInference());
    cookie = await instructorCookie(server);
  });
  afterAll(async () => {
    await server.stop();
    await target.drop();
  });

  it.each([
    ["broken percent-encoding in the path", "GET", "/api/sessions/%E0%A4%A", {}, undefined, 400],
    ["a JSON body in an unsupported charset", "POST", "/api/auth/signin", { "content-type": "application/json; charset=ebcdic" }, "{}", 415],
    ["an unsupported Content-Encoding", "POST", "/api/auth/signin", { "content-type": "application/json", "content-encoding": "br2" }, "{}", 415],
    ["a gzip body that is not gzip", "POST", "/api/auth/signin", { "content-type": "application/json", "content-encoding": "gzip" }, "not gzip", 400],
    ["malformed JSON", "POST", "/api/auth/signin", { "content-type": "application/json" }, "{", 400],
    ["a body over the limit", "POST", "/api/auth/signin", { "content-type": "application/json" }, `{"x":"${"a".repeat(70_000)}"}`, 413],
  ] as const)("%s gets a 4xx with a code, never a 5xx or a stack trace", async (_what, method, path, headers, body, status) => {
    const res = await raw(server, method, path, headers, body);
    expect(res.status).toBe(status);
    const json = JSON.parse(res.text) as { ok: boolean; code: string; message: string };
    expect(json.ok).toBe(false);
    expect(json.message.length).toBeGreaterThan(10);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("refuses made-up invite tokens without hashing a password, then rate-limits the address", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await raw(server, "POST", "/api/invites/accept", { "content-type": "application/json" }, JSON.stringify({ token: `made-up-token-${i}-${"x".repeat(30)}`, password: "whatever123" }));
      codes.push((JSON.parse(res.text) as { code: string }).code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("invite_invalid"));
    expect(codes.slice(5)).toEqual(Array(3).fill("rate_limited"));
  });

  it("answers every event with an ack, even names that are built-in object properties or server-to-client events", async () => {
    const room = await createSession(server, cookie, { title: "Odd events", prompts: ["the cat sat on the"] });
    const phone = await joinedPlayer(server.url, room.code, "Ann");
    try {
      for (const event of ["constructor", "__proto__", "toString", "hasOwnProperty", "hat:snapshot", "session:snapshot", "no:such-event"]) {
        const ack = (await phone.emit(event, {})) as { ok: boolean; code?: string };
        expect(ack, event).toMatchObject({ ok: false, code: "bad_payload" });
      }
      // the socket is still usable afterwards
      expect(((await phone.emit(GUESS_EVENTS.vote, { guess: "mat" })) as { ok: boolean; code?: string }).code).toBe("no_round");
    } finally {
      phone.close();
    }
  });

  it("writes guesses that look like formulas into every CSV as text, and keeps them exact in the JSON", async () => {
    const room = await createSession(server, cookie, { title: "CSV", prompts: ["Once upon a"] });
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    await host.waitForSnapshot(() => true);
    const nasty = ['=HYPERLINK("http://x.test/","Click me")\u2028', "+1+1", "-2", "@SUM(A1)", "\tTab"];
    const phones = await Promise.all(nasty.map((_, i) => joinedPlayer(server.url, room.code, `P${i}`)));
    await startActivity(host, guessRound({ mode: "round", promptIndex: 0 }));
    for (const [i, guess] of nasty.entries()) await expectOk(phones[i]!.emit(GUESS_EVENTS.vote, { guess, exact: true }));
    await expectOk(host.emit(GUESS_EVENTS.close));

    const csv = await (await fetch(`${server.url}/api/sessions/${room.code}/export/votes.csv`, { headers: { cookie } })).text();
    // Every cell of every line: none starts with a formula character once its quotes are taken off.
    const cells = csv.replace(/^\uFEFF/, "").split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    for (const cell of cells) expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv).toContain(`"'=HYPERLINK(""http://x.test/"",""Click me"")"`);
    const json = (await (await fetch(`${server.url}/api/sessions/${room.code}/export.json`, { headers: { cookie } })).json()) as { rounds: { votes: { guess: string }[] }[] };
    // Guesses are stored as cleaned (control and separator characters dropped), and exported unescaped.
    expect(json.rounds[0]!.votes.map((v) => v.guess)).toContain('=HYPERLINK("http://x.test/","Click me")');
    for (const c of [host, ...phones]) c.close();
  });
});
