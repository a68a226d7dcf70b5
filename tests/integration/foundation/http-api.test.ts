// The account and health API over real HTTP, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browser, startApp, type RunningApp } from "../../support/app-server.ts";
import { DATABASE_KINDS } from "../../support/databases.ts";

describe.each(DATABASE_KINDS)("HTTP API on %s", (kind) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startApp({ kind });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers health 503 until the pages are ready, then 200 with the database kind", async () => {
    const before = await fetch(`${server.url}/api/health`);
    expect(before.status).toBe(503);
    server.app.setPages({ handle: async (_req, res) => void res.end("page"), upgrade: async (_req, socket) => void socket.destroy() });
    const after = await fetch(`${server.url}/api/health`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: "ok", database: { kind, ok: true, migrations: { state: "up_to_date" } } });
  });

  it("sets up the first instructor with an httpOnly SameSite cookie, once", async () => {
    const token = await server.app.auth.issueSetupToken();
    const as = browser(server.url);
    const wrong = await as("POST", "/api/auth/setup", { token: "nope", email: "ada@example.org", name: "Ada", password: "correct horse" });
    expect(wrong).toMatchObject({ status: 403, json: { ok: false, code: "setup_token_invalid" } });
    const res = await as("POST", "/api/auth/setup", { token, email: "Ada@Example.org", name: "Ada", password: "correct horse" });
    expect(res.status).toBe(201);
    expect(res.setCookie).toMatch(/HttpOnly/i);
    expect(res.setCookie).toMatch(/SameSite=Lax/i);
    expect((await as("GET", "/api/auth/me")).json.data.account).toMatchObject({ email: "ada@example.org", role: "instructor" });
    const again = await browser(server.url)("POST", "/api/auth/setup", { token, email: "eve@example.org", name: "Eve", password: "correct horse" });
    expect(again.json.code).toBe("setup_done");
  });

  it("gives field-level errors for invalid bodies and a bad_request for malformed JSON", async () => {
    const as = browser(server.url);
    const res = await as("POST", "/api/auth/signin", { email: "not-an-email" });
    expect(res.status).toBe(400);
    expect(res.json.fields).toHaveProperty("email");
    expect((await as("POST", "/api/auth/signin", "{oops")).json.code).toBe("malformed_request");
  });

  it("lets an instructor invite a facilitator who cannot manage accounts", async () => {
    const ada = browser(server.url);
    await ada("POST", "/api/auth/signin", { email: "ada@example.org", password: "correct horse" });
    const invite = await ada("POST", "/api/accounts", { email: "fay@example.org", name: "Fay", role: "facilitator" });
    const token = new URL(invite.json.data.inviteUrl as string).searchParams.get("token");
    const fay = browser(server.url);
    expect((await fay("POST", "/api/invites/accept", { token, password: "facilitate" })).status).toBe(201);
    expect((await fay("GET", "/api/accounts")).json.code).toBe("forbidden");
    expect((await fay("POST", "/api/accounts", { email: "x@example.org", name: "X", role: "instructor", password: "12345678" })).status).toBe(403);
    const list = await ada("GET", "/api/accounts");
    expect(list.json.data.accounts.map((a: { email: string }) => a.email)).toEqual(["ada@example.org", "fay@example.org"]);
  });

  it("signs out by deleting the session server-side", async () => {
    const as = browser(server.url);
    await as("POST", "/api/auth/signin", { email: "ada@example.org", password: "correct horse" });
    expect((await as("GET", "/api/auth/me")).json.data.account).not.toBeNull();
    await as("POST", "/api/auth/signout");
    expect((await as("GET", "/api/auth/me")).json.data.account).toBeNull();
    expect((await as("GET", "/api/accounts")).status).toBe(401);
  });

  it("rate-limits repeated failed sign-ins", async () => {
    const as = browser(server.url);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 7; i++) codes.push((await as("POST", "/api/auth/signin", { email: "mallory@example.org", password: `guess-${i}` })).json.code);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("bad_credentials"));
    expect(codes.slice(5)).toEqual(["rate_limited", "rate_limited"]);
  });

  it("answers room_not_found for an unknown room code", async () => {
    const res = await fetch(`${server.url}/api/sessions/7KQ4MX`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, code: "room_not_found" });
  });
});
