// Driver adapters whose executeScript runs a migration script atomically.
// - pglite-prisma-adapter 0.7.2 does not await PGlite's exec, so a failing migration is recorded as
//   applied and its error escapes as an unhandled rejection.
// - @prisma/adapter-pg splits the script on ";" and runs each piece alone, so a failure half-way
//   leaves a half-migrated database.
// Both adapters get a script runner that sends the whole script as one simple-protocol query, which
// PostgreSQL runs as one implicit transaction. tests/integration/persistence covers a failing migration.
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Pool } from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

interface ScriptRunner<Client> {
  client: Client;
  onError(error: unknown): never;
  executeScript(script: string): Promise<void>;
}

function runScriptsWhole<Client, A extends object>(adapter: A, run: (client: Client, script: string) => Promise<unknown>): A {
  const internals = adapter as unknown as ScriptRunner<Client>;
  internals.executeScript = async (script) => {
    try {
      await run(internals.client, script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

export class PGliteAdapterFactory extends PrismaPGlite {
  override async connect(): ReturnType<PrismaPGlite["connect"]> {
    return runScriptsWhole<PGlite, Awaited<ReturnType<PrismaPGlite["connect"]>>>(await super.connect(), (client, script) => client.exec(script));
  }
}

export class PostgresAdapterFactory extends PrismaPg {
  private readonly opened: Array<{ dispose(): Promise<void> }> = [];

  override async connect(): ReturnType<PrismaPg["connect"]> {
    const adapter = runScriptsWhole<Pool, Awaited<ReturnType<PrismaPg["connect"]>>>(await super.connect(), (pool, script) => pool.query(script));
    this.opened.push(adapter);
    return adapter;
  }

  /**
   * Closes every pool it opened. Prisma's migration lock is a session advisory lock that the schema
   * engine does not unlock: it is released when its connection closes, so other processes starting
   * at the same time must not wait for an idle connection to time out (they give up after 10 s).
   */
  async close(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((a) => a.dispose()));
  }
}
