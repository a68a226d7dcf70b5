// Accounts, sign-in and sessions. Returns { ok: false, code } for expected failures; throws only for bugs.
import { memoryLimiters, type LimiterFactory } from "../session/limiters.ts";
import type { Account, AccountStore, PendingInvite, Role } from "../db/account-store.ts";
import type { ApiErrorCode } from "../../contract/http/accounts.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { newSecret, secretId } from "./tokens.ts";

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

type Result<T> = { ok: true; data: T } | { ok: false; code: ApiErrorCode };

export interface AuthService {
  needsSetup(): Promise<boolean>;
  /** A fresh first-run secret, valid (on every process) until the first account exists; null when one does. */
  issueSetupToken(): Promise<string | null>;
  setup(input: { token: string; email: string; name: string; password: string }): Promise<Result<{ account: Account; session: string }>>;
  signIn(input: { email: string; password: string; ip: string }): Promise<Result<{ account: Account; session: string }>>;
  signOut(session: string): Promise<void>;
  accountForSession(session: string | undefined): Promise<Account | null>;
  addAccount(by: Account, input: { email: string; name: string; role: Role; password?: string }): Promise<Result<{ account?: Account; inviteToken?: string }>>;
  acceptInvite(input: { token: string; password: string; ip: string }): Promise<Result<{ account: Account; session: string }>>;
  listAccounts(): Promise<{ accounts: Account[]; invites: PendingInvite[] }>;
}

export function createAuthService(store: AccountStore, clock: () => Date, limiters: LimiterFactory = memoryLimiters): AuthService {
  // Per email+address, and per address: slows guessing without locking out a whole classroom's NAT.
  const perAccount = limiters({ keyPrefix: "sign-in-account", points: 5, duration: 15 * 60 });
  const perAddress = limiters({ keyPrefix: "sign-in-address", points: 30, duration: 15 * 60 });

  async function openSession(account: Account) {
    const session = newSecret();
    await store.createSession({ id: secretId(session), userId: account.id, expiresAt: new Date(clock().getTime() + SESSION_TTL_MS) });
    return { account, session };
  }

  async function consume(key: string, ip: string): Promise<boolean> {
    try {
      await Promise.all([perAccount.consume(key), perAddress.consume(ip)]);
      return true;
    } catch {
      return false;
    }
  }

  async function exhausted(key: string, ip: string): Promise<boolean> {
    const [a, b] = await Promise.all([perAccount.get(key), perAddress.get(ip)]);
    return (a !== null && a.remainingPoints <= 0) || (b !== null && b.remainingPoints <= 0);
  }

  return {
    needsSetup: async () => (await store.countAccounts()) === 0,

    async issueSetupToken() {
      if ((await store.countAccounts()) > 0) return null;
      const token = newSecret();
      await store.addSetupToken(secretId(token), clock());
      return token;
    },

    async setup(input) {
      if (!(await store.setupTokenOpen(secretId(input.token), clock()))) {
        return { ok: false, code: (await store.countAccounts()) > 0 ? "setup_done" : "setup_token_invalid" };
      }
      const created = await store.createAccount(
        { email: input.email, name: input.name, role: "instructor", passwordHash: await hashPassword(input.password) },
        { onlyIfFirst: true },
      );
      if (!created.ok) return { ok: false, code: created.reason === "not_first" ? "setup_done" : created.reason };
      return { ok: true, data: await openSession(created.account) };
    },

    async signIn({ email, password, ip }) {
      if (!(await consume(`${email}|${ip}`, ip))) return { ok: false, code: "rate_limited" };
      const found = await store.findByEmail(email);
      // Compare against a dummy hash when the account is unknown, so timing does not reveal emails.
      const valid = await verifyPassword(password, found?.passwordHash ?? "$2b$11$eiK/BSRvnqJ5NYzgCQXEUeYHrH2Qtbt/Lj1YSRfJzP49/PDVvDul6");
      if (!found || !valid) return { ok: false, code: "bad_credentials" };
      await perAccount.delete(`${email}|${ip}`);
      const { passwordHash: _, ...account } = found;
      return { ok: true, data: await openSession(account) };
    },

    signOut: (session) => store.deleteSession(secretId(session)),

    accountForSession: async (session) => (session ? store.sessionAccount(secretId(session), clock()) : null),

    async addAccount(by, input) {
      if (by.role !== "instructor") return { ok: false, code: "forbidden" };
      if (await store.findByEmail(input.email)) return { ok: false, code: "email_taken" };
      if (input.password) {
        const created = await store.createAccount({ email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
        return created.ok ? { ok: true, data: { account: created.account } } : { ok: false, code: "email_taken" };
      }
      const inviteToken = newSecret();
      await store.createInvite({
        id: secretId(inviteToken),
        email: input.email,
        name: input.name,
        role: input.role,
        invitedById: by.id,
        expiresAt: new Date(clock().getTime() + INVITE_TTL_MS),
      });
      return { ok: true, data: { inviteToken } };
    },

    async acceptInvite({ token, password, ip }) {
      // A made-up token costs one indexed lookup, never a password hash, and counts against the
      // address; real invites do not, so a staff room behind one NAT can all accept theirs.
      const key = `invite|${ip}`;
      if (await exhausted(key, ip)) return { ok: false, code: "rate_limited" };
      if (!(await store.inviteOpen(secretId(token), clock()))) return { ok: false, code: (await consume(key, ip)) ? "invite_invalid" : "rate_limited" };
      const result = await store.acceptInvite(secretId(token), await hashPassword(password), clock());
      if (!result.ok) return { ok: false, code: result.reason === "not_first" ? "invite_invalid" : result.reason };
      return { ok: true, data: await openSession(result.account) };
    },

    async listAccounts() {
      const [accounts, invites] = await Promise.all([store.listAccounts(), store.listPendingInvites(clock())]);
      return { accounts, invites };
    },
  };
}
