// Instructor and facilitator accounts, their browser sessions and invites.
import type { PrismaClient } from "./generated/client.ts";

export type Role = "instructor" | "facilitator";

export interface Account {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface AccountWithHash extends Account {
  passwordHash: string;
}

export interface PendingInvite {
  id: string;
  email: string;
  name: string;
  role: Role;
  expiresAt: Date;
}

export type CreateAccountResult = { ok: true; account: Account } | { ok: false; reason: "email_taken" | "not_first" };

export interface AccountStore {
  countAccounts(): Promise<number>;
  /** Creates an account. With `onlyIfFirst`, refuses when any account exists, and uses up every first-run link. */
  createAccount(input: { email: string; name: string; role: Role; passwordHash: string }, options?: { onlyIfFirst?: boolean }): Promise<CreateAccountResult>;
  /** Records a first-run link; links work for a day. */
  addSetupToken(id: string, now: Date): Promise<void>;
  setupTokenOpen(id: string, now: Date): Promise<boolean>;
  findByEmail(email: string): Promise<AccountWithHash | null>;
  listAccounts(): Promise<Account[]>;
  createSession(input: { id: string; userId: string; expiresAt: Date }): Promise<void>;
  /** The account behind a live session, or null when unknown or expired. */
  sessionAccount(id: string, now: Date): Promise<Account | null>;
  deleteSession(id: string): Promise<void>;
  createInvite(input: { id: string; email: string; name: string; role: Role; invitedById: string; expiresAt: Date }): Promise<void>;
  listPendingInvites(now: Date): Promise<PendingInvite[]>;
  /** Whether an unused, unexpired invite has this id: checked before any password is hashed. */
  inviteOpen(id: string, now: Date): Promise<boolean>;
  /** Marks the invite used and creates its account, atomically. */
  acceptInvite(id: string, passwordHash: string, now: Date): Promise<CreateAccountResult | { ok: false; reason: "invite_invalid" }>;
}

/** A first-run link works for a day; a server started again prints a new one. */
const SETUP_TOKEN_TTL_MS = 24 * 3600 * 1000;

const accountFields = { id: true, email: true, name: true, role: true, createdAt: true } as const;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

export function createAccountStore(prisma: PrismaClient): AccountStore {
  return {
    countAccounts: () => prisma.user.count(),

    async createAccount(input, options) {
      try {
        const account = await prisma.$transaction(async (tx) => {
          if (options?.onlyIfFirst) {
            // Two first-run links used at once (from two processes) must not make two first accounts.
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('token-hat:first-account'))`;
            if ((await tx.user.count()) > 0) return null;
            await tx.setupToken.deleteMany({});
          }
          return tx.user.create({ data: input, select: accountFields });
        });
        return account ? { ok: true, account } : { ok: false, reason: "not_first" };
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
        throw error;
      }
    },

    async addSetupToken(id, now) {
      await prisma.$transaction([prisma.setupToken.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - SETUP_TOKEN_TTL_MS) } } }), prisma.setupToken.create({ data: { id, createdAt: now } })]);
    },

    setupTokenOpen: async (id, now) => (await prisma.setupToken.count({ where: { id, createdAt: { gt: new Date(now.getTime() - SETUP_TOKEN_TTL_MS) } } })) > 0,

    findByEmail: (email) => prisma.user.findUnique({ where: { email } }),

    listAccounts: () => prisma.user.findMany({ select: accountFields, orderBy: { createdAt: "asc" } }),

    async createSession(input) {
      await prisma.authSession.create({ data: input });
    },

    async sessionAccount(id, now) {
      const session = await prisma.authSession.findUnique({ where: { id }, include: { user: { select: accountFields } } });
      if (!session || session.expiresAt <= now) return null;
      return session.user;
    },

    async deleteSession(id) {
      await prisma.authSession.deleteMany({ where: { id } });
    },

    async createInvite(input) {
      await prisma.invite.create({ data: input });
    },

    listPendingInvites: (now) =>
      prisma.invite.findMany({
        where: { usedAt: null, expiresAt: { gt: now } },
        select: { id: true, email: true, name: true, role: true, expiresAt: true },
        orderBy: { createdAt: "asc" },
      }),

    async inviteOpen(id, now) {
      return (await prisma.invite.count({ where: { id, usedAt: null, expiresAt: { gt: now } } })) > 0;
    },

    async acceptInvite(id, passwordHash, now) {
      try {
        return await prisma.$transaction(async (tx) => {
          const invite = await tx.invite.findUnique({ where: { id } });
          if (!invite || invite.usedAt || invite.expiresAt <= now) return { ok: false as const, reason: "invite_invalid" as const };
          await tx.invite.update({ where: { id }, data: { usedAt: now } });
          const account = await tx.user.create({
            data: { email: invite.email, name: invite.name, role: invite.role, passwordHash },
            select: accountFields,
          });
          return { ok: true as const, account };
        });
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
        throw error;
      }
    },
  };
}
