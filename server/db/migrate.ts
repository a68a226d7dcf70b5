// Applies Prisma-format migrations (prisma/migrations/<name>/migration.sql) without Prisma's CLI,
// which cannot download its native engine here. We drive Prisma's own WebAssembly schema engine
// through @prisma/migrate's wrapper, over the same driver adapter the app uses. This is an internal
// API: versions are pinned exactly in package.json and tests/integration/persistence covers it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import prismaMigrate from "@prisma/migrate";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PostgresAdapterFactory } from "./adapters.ts";

// A CommonJS bundle whose named exports Node's ESM loader cannot detect.
const { Migrate, SchemaEngineWasm } = prismaMigrate;
type Migrate = InstanceType<typeof Migrate>;
type SchemaEngineWasm = InstanceType<typeof SchemaEngineWasm>;

export const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");

export interface MigrationReport {
  applied: string[];
  total: number;
}

async function schemaContext() {
  const content = await readFile(SCHEMA_PATH, "utf8");
  return { schemaFiles: [[SCHEMA_PATH, content] as [string, string]], configDir: path.dirname(PRISMA_DIR) };
}

async function withEngine<T>(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  run: (migrate: Migrate, engine: SchemaEngineWasm) => Promise<T>,
  migrationsDir = MIGRATIONS_DIR,
): Promise<T> {
  const ctx = await schemaContext();
  const engine = await SchemaEngineWasm.setup({ adapter: bindMigrationAwareSqlAdapterFactory(adapter), schemaContext: ctx });
  const migrate = new Migrate({ engine, schemaContext: ctx, migrationsDirPath: migrationsDir });
  try {
    return await run(migrate, engine);
  } finally {
    await engine.stop().catch(() => undefined);
    if (adapter instanceof PostgresAdapterFactory) await adapter.close().catch(() => undefined);
  }
}

/** Applies every pending migration, each in its own transaction, like `prisma migrate deploy`. */
export async function deployMigrations(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir = MIGRATIONS_DIR,
): Promise<MigrationReport> {
  return withEngine(
    adapter,
    async (migrate) => {
      const { migrations } = await migrate.listMigrationDirectories();
      const { appliedMigrationNames } = await migrate.applyMigrations();
      return { applied: appliedMigrationNames, total: migrations.length };
    },
    migrationsDir,
  );
}

/** Lists migrations in the folder that the database has not applied yet. */
export async function pendingMigrations(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return withEngine(adapter, async (migrate) => {
    const result = (await migrate.diagnoseMigrationHistory({ optInToShadowDatabase: false })) as {
      history: null | { diagnostic: string; unappliedMigrationNames?: string[] };
    };
    return result.history?.unappliedMigrationNames ?? [];
  });
}

/**
 * The SQL that takes a database holding every existing migration to the current schema.
 * `adapter` must point at a database where the existing migrations have just been applied.
 */
export async function diffToSchema(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const ctx = await schemaContext();
  return withEngine(adapter, async (_migrate, engine) => {
    // runCommand("diff") returns the script as stdout; migrateDiff() would print it instead.
    const result = (await engine.runCommand("diff", {
      from: { tag: "schemaDatasource", files: ctx.schemaFiles.map(([p, c]) => ({ path: p, content: c })), configDir: ctx.configDir },
      to: { tag: "schemaDatamodel", files: ctx.schemaFiles.map(([p, c]) => ({ path: p, content: c })) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    })) as { stdout?: string };
    return result.stdout ?? "";
  });
}
