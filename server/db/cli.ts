// `npm run db:deploy` applies pending migrations to the configured database.
// `npm run db:status` lists pending ones.
// `npm run db:migrate:new -- <name>` writes prisma/migrations/<timestamp>_<name>/migration.sql holding
// the SQL from the existing migrations to prisma/schema.prisma (computed on a scratch PGlite).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGliteAdapterFactory } from "./adapters.ts";
import { loadEnv } from "../env.ts";
import { deployMigrations, diffToSchema, MIGRATIONS_DIR, pendingMigrations } from "./migrate.ts";
import { openDatabase } from "./database.ts";

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === "new") {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: npm run db:migrate:new -- <snake_case_name>");
    const scratch = new PGliteAdapterFactory(new PGlite());
    await deployMigrations(scratch);
    const sql = await diffToSchema(scratch);
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
      console.log("schema.prisma matches the migrations; nothing to write");
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
    return;
  }
  const env = loadEnv();
  const db = await openDatabase(env, { migrate: false });
  try {
    if (command === "deploy") {
      const report = await deployMigrations(db.migrationAdapter());
      console.log(`${db.kind}: applied ${report.applied.length} of ${report.total} migrations${report.applied.length ? ": " + report.applied.join(", ") : ""}`);
    } else if (command === "status") {
      const pending = await pendingMigrations(db.migrationAdapter());
      console.log(pending.length ? `${db.kind}: pending: ${pending.join(", ")}` : `${db.kind}: up to date`);
    } else {
      throw new Error("usage: db:deploy | db:status | db:migrate:new -- <name>");
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
