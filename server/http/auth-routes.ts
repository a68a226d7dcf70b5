import express, { type Request, type Response } from "express";
import { parse as parseCookies, serialize } from "cookie";
import type { Account } from "../db/account-store.ts";
import { acceptInviteBody, addAccountBody, setupBody, signInBody } from "../../contract/http/accounts.ts";
import { SESSION_TTL_MS, type AuthService } from "../auth/auth-service.ts";
import { parseBody, sendError, sendOk } from "./respond.ts";

export const SESSION_COOKIE = "th_session";

export function sessionCookieOf(req: { headers: { cookie?: string } }): string | undefined {
  return parseCookies(req.headers.cookie ?? "")[SESSION_COOKIE];
}

function setSessionCookie(res: Response, value: string, secure: boolean, maxAgeMs: number): void {
  res.append(
    "Set-Cookie",
    serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: Math.floor(maxAgeMs / 1000) }),
  );
}

const publicAccount = (a: Account) => ({ id: a.id, email: a.email, name: a.name, role: a.role });

export interface AuthRouteDeps {
  auth: AuthService;
  secureCookies: boolean;
  /** Base URL for links shown to instructors (invite links). */
  baseUrl: (req: Request) => string;
}

/** Resolves the signed-in account, or answers 401/403 and returns null. */
export async function requireAccount(auth: AuthService, req: Request, res: Response, role?: Account["role"]): Promise<Account | null> {
  const account = await auth.accountForSession(sessionCookieOf(req));
  if (!account) {
    sendError(res, "unauthorized");
    return null;
  }
  if (role && account.role !== role) {
    sendError(res, "forbidden");
    return null;
  }
  return account;
}

export function authRoutes({ auth, secureCookies, baseUrl }: AuthRouteDeps): express.Router {
  const router = express.Router();

  router.get("/auth/me", async (req, res) => {
    const account = await auth.accountForSession(sessionCookieOf(req));
    sendOk(res, { account: account ? publicAccount(account) : null, needsSetup: await auth.needsSetup() });
  });

  router.post("/auth/setup", async (req, res) => {
    const body = parseBody(setupBody, req, res);
    if (!body) return;
    const result = await auth.setup(body);
    if (!result.ok) return sendError(res, result.code);
    setSessionCookie(res, result.data.session, secureCookies, SESSION_TTL_MS);
    sendOk(res, { account: publicAccount(result.data.account) }, 201);
  });

  router.post("/auth/signin", async (req, res) => {
    const body = parseBody(signInBody, req, res);
    if (!body) return;
    const result = await auth.signIn({ ...body, ip: req.ip ?? "unknown" });
    if (!result.ok) return sendError(res, result.code);
    setSessionCookie(res, result.data.session, secureCookies, SESSION_TTL_MS);
    sendOk(res, { account: publicAccount(result.data.account) });
  });

  router.post("/auth/signout", async (req, res) => {
    const session = sessionCookieOf(req);
    if (session) await auth.signOut(session);
    setSessionCookie(res, "", secureCookies, 0);
    sendOk(res, {});
  });

  router.get("/accounts", async (req, res) => {
    if (!(await requireAccount(auth, req, res, "instructor"))) return;
    const { accounts, invites } = await auth.listAccounts();
    sendOk(res, { accounts: accounts.map(publicAccount), invites });
  });

  router.post("/accounts", async (req, res) => {
    const by = await requireAccount(auth, req, res, "instructor");
    if (!by) return;
    const body = parseBody(addAccountBody, req, res);
    if (!body) return;
    const result = await auth.addAccount(by, body);
    if (!result.ok) return sendError(res, result.code);
    const { account, inviteToken } = result.data;
    sendOk(
      res,
      { account: account ? publicAccount(account) : null, inviteUrl: inviteToken ? `${baseUrl(req)}/invite?token=${inviteToken}` : null },
      201,
    );
  });

  router.post("/invites/accept", async (req, res) => {
    const body = parseBody(acceptInviteBody, req, res);
    if (!body) return;
    const result = await auth.acceptInvite({ ...body, ip: req.ip ?? "unknown" });
    if (!result.ok) return sendError(res, result.code);
    setSessionCookie(res, result.data.session, secureCookies, SESSION_TTL_MS);
    sendOk(res, { account: publicAccount(result.data.account) }, 201);
  });

  return router;
}
