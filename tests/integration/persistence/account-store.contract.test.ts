// One contract for the account store, run against embedded PGlite and a real PostgreSQL.
import { afterEach, describe, expect, it } from "vitest";
import { createAuthService } from "../../../server/auth/auth-service.ts";
import { createAccountStore } from "../../../server/db/account-store.ts";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deployMigrations, MIGRATIONS_DIR, pendingMigrations } from "../../../server/db/migrate.ts";
import { createTestDatabase, DATABASE_KINDS, type TestDatabaseTarget } from "../../support/databases.ts";

describe.each(DATABASE_KINDS)("account store on %s", (kind) => {
  let target: TestDatabaseTarget;
  const open: Database[] = [];

  async function connect(): Promise<Database> {
    const db = await openDatabase(target.env, { migrate: true });
    open.push(db);
    return db;
  }

  afterEach(async () => {
    for (const db of open.splice(0)) await db.close().catch(() => undefined);
    await target.drop();
  });

  it("migrates an empty database to the latest schema, then has nothing pending", async () => {
    target = await createTestDatabase(kind);
    const db = await connect();
    expect(db.kind).toBe(kind);
    expect(db.migrations?.applied.length).toBe(db.migrations?.total);
    expect(db.migrations?.total).toBeGreaterThan(0);
    expect(await pendingMigrations(db.migrationAdapter())).toEqual([]);
  });

  it("rolls a failing migration back whole and refuses to start on it", async () => {
    target = await createTestDatabase(kind);
    const db = await connect();
    const dir = await mkdtemp(path.join(tmpdir(), "token-hat-migrations-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, "99999999999999_broken"));
    await writeFile(path.join(dir, "99999999999999_broken", "migration.sql"), 'CREATE TABLE "Half" (id int);\nSELECT no_such_function();\n');
    await expect(deployMigrations(db.migrationAdapter(), dir)).rejects.toThrow(/no_such_function/);
    const half = await db.prisma.$queryRawUnsafe<{ t: string | null }[]>(`SELECT to_regclass('"Half"')::text AS t`);
    expect(half[0]?.t).toBeNull();
    await expect(deployMigrations(db.migrationAdapter(), dir)).rejects.toThrow(/failed migrations|99999999999999_broken/);
  });

  it("creates the first instructor only once, signs in, and rejects a wrong password", async () => {
    target = await createTestDatabase(kind);
    const db = await connect();
    const auth = createAuthService(createAccountStore(db.prisma), () => new Date());
    const token = await auth.issueSetupToken();
    expect(token).toBeTruthy();
    const created = await auth.setup({ token: token!, email: "ada@example.org", name: "Ada", password: "correct horse" });
    expect(created.ok).toBe(true);
    expect(await auth.issueSetupToken()).toBeNull();
    expect((await auth.setup({ token: token!, email: "eve@example.org", name: "Eve", password: "correct horse" })).ok).toBe(false);

    const good = await auth.signIn({ email: "ada@example.org", password: "correct horse", ip: "10.0.0.1" });
    expect(good.ok && good.data.account.role).toBe("instructor");
    const bad = await auth.signIn({ email: "ada@example.org", password: "wrong horse", ip: "10.0.0.1" });
    expect(bad).toMatchObject({ ok: false, code: "bad_credentials" });
    if (!good.ok) throw new Error("sign-in failed");
    expect((await auth.accountForSession(good.data.session))?.email).toBe("ada@example.org");
    await auth.signOut(good.data.session);
    expect(await auth.accountForSession(good.data.session)).toBeNull();
  });

  it("takes a first-run link printed by another process on the same database, and none once the first account exists", async () => {
    target = await createTestDatabase(kind);
    const db = await connect();
    const [one, two] = [createAuthService(createAccountStore(db.prisma), () => new Date()), createAuthService(createAccountStore(db.prisma), () => new Date())];
    const [fromOne, fromTwo] = [(await one.issueSetupToken())!, (await two.issueSetupToken())!];
    expect(await two.setup({ token: "not-a-link", email: "eve@example.org", name: "Eve", password: "correct horse" })).toMatchObject({ ok: false, code: "setup_token_invalid" });
    expect((await two.setup({ token: fromOne, email: "ada@example.org", name: "Ada", password: "correct horse" })).ok).toBe(true);
    expect(await one.setup({ token: fromTwo, email: "eve@example.org", name: "Eve", password: "correct horse" })).toMatchObject({ ok: false, code: "setup_done" });
    expect(await db.prisma.setupToken.count()).toBe(0);
  });

  it("keeps accounts and sessions across a restart", async () => {
    target = await createTestDatabase(kind);
    const first = await connect();
    const auth1 = createAuthService(createAccountStore(first.prisma), () => new Date());
    const created = await auth1.setup({ token: (await auth1.issueSetupToken())!, email: "ada@example.org", name: "Ada", password: "correct horse" });
    if (!created.ok) throw new Error("setup failed");
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await connect();
    expect(second.migrations?.applied).toEqual([]);
    const auth2 = createAuthService(createAccountStore(second.prisma), () => new Date());
    expect(await auth2.needsSetup()).toBe(false);
    expect((await auth2.accountForSession(created.data.session))?.name).toBe("Ada");
  });

  it("turns an invite into an account exactly once", async () => {
    target = await createTestDatabase(kind);
    const db = await connect();
    const auth = createAuthService(createAccountStore(db.prisma), () => new Date());
    const setup = await auth.setup({ token: (await auth.issueSetupToken())!, email: "ada@example.org", name: "Ada", password: "correct horse" });
    if (!setup.ok) throw new Error("setup failed");
    const invited = await auth.addAccount(setup.data.account, { email: "fay@example.org", name: "Fay", role: "facilitator" });
    if (!invited.ok || !invited.data.inviteToken) throw new Error("invite failed");
    const accepted = await auth.acceptInvite({ token: invited.data.inviteToken, password: "facilitate", ip: "127.0.0.1" });
    expect(accepted.ok && accepted.data.account.role).toBe("facilitator");
    expect(await auth.acceptInvite({ token: invited.data.inviteToken, password: "facilitate", ip: "127.0.0.1" })).toMatchObject({ ok: false, code: "invite_invalid" });
    const byFacilitator = await auth.addAccount(accepted.ok ? accepted.data.account : setup.data.account, { email: "x@example.org", name: "X", role: "instructor", password: "12345678" });
    expect(byFacilitator).toMatchObject({ ok: false, code: "forbidden" });
  });
});
