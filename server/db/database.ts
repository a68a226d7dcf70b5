// Opens the database: PGlite in DATA_DIR when DATABASE_URL is unset, PostgreSQL otherwise.
// This folder is the only place that imports Prisma.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PGliteAdapterFactory, PostgresAdapterFactory } from "./adapters.ts";
import type { Env } from "../env.ts";
import { PrismaClient } from "./generated/client.ts";
import { deployMigrations, type MigrationReport } from "./migrate.ts";

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  migrations: MigrationReport | null;
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class DatabaseError extends Error {}

function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export async function openDatabase(
  env: Pick<Env, "DATABASE_URL" | "DATA_DIR">,
  options: { migrate: boolean },
): Promise<Database> {
  let kind: DatabaseKind;
  let migrationAdapter: () => SqlMigrationAwareDriverAdapterFactory;
  let prisma: PrismaClient;
  let closeDriver: () => Promise<void>;

  if (env.DATABASE_URL) {
    const url = env.DATABASE_URL;
    kind = "postgres";
    // One connection, so the migration lock (a session advisory lock) covers every statement of a run.
    migrationAdapter = () => new PostgresAdapterFactory({ connectionString: url, connectionTimeoutMillis: 5000, max: 1 });
    prisma = new PrismaClient({ adapter: new PostgresAdapterFactory({ connectionString: url, connectionTimeoutMillis: 5000 }) });
    closeDriver = async () => undefined;
    try {
      await prisma.$queryRawUnsafe("SELECT 1");
    } catch (error) {
      await prisma.$disconnect().catch(() => undefined);
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new DatabaseError(
        `Cannot reach PostgreSQL at ${describeUrl(url)} (DATABASE_URL): ${reason || "connection failed"}. Is the server running and the database created?`,
      );
    }
  } else {
    kind = "pglite";
    const dir = path.join(env.DATA_DIR, "pglite");
    await mkdir(dir, { recursive: true });
    let pglite: PGlite;
    try {
      pglite = await PGlite.create(dir);
    } catch (error) {
      throw new DatabaseError(`Cannot open the embedded database in ${dir} (DATA_DIR): ${String(error)}`);
    }
    const adapter = new PGliteAdapterFactory(pglite);
    migrationAdapter = () => adapter;
    prisma = new PrismaClient({ adapter });
    closeDriver = () => pglite.close();
  }

  let migrations: MigrationReport | null = null;
  if (options.migrate) {
    try {
      migrations = await deployMigrations(migrationAdapter());
    } catch (error) {
      await prisma.$disconnect().catch(() => undefined);
      await closeDriver();
      const reason = error instanceof Error ? error.message.trim().split("\n").slice(0, 3).join(" ") : String(error);
      throw new DatabaseError(`Database migration failed; nothing was started: ${reason}`);
    }
  }

  return {
    kind,
    prisma,
    migrations,
    migrationAdapter,
    async ping() {
      try {
        await prisma.$queryRawUnsafe("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
