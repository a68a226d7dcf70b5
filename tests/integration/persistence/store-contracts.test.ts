// Every store's contract cases, run against the in-memory fakes, PGlite and a real PostgreSQL.
// A new store adds its cases file to CASES.
import { afterAll, beforeAll, describe, it } from "vitest";
import { openDatabase, type Database } from "../../../server/db/database.ts";
import { prismaStores, type Stores } from "../../../server/db/stores.ts";
import { createTestDatabase, type TestDatabaseTarget } from "../../support/databases.ts";
import { memoryStores } from "../../support/memory-stores.ts";
import { freshIds, type ContractCase } from "./contracts/contract.ts";
import { calibrationRowsCases } from "./contracts/calibration-rows.contract.ts";
import { guessRowsCases } from "./contracts/guess-rows.contract.ts";
import { hatRowsCases } from "./contracts/hat-rows.contract.ts";
import { planAndSlideCases } from "./contracts/plans-and-slides.contract.ts";
import { sessionStoreCases } from "./contracts/session-store.contract.ts";

const CASES: ContractCase[] = [...sessionStoreCases, ...guessRowsCases, ...hatRowsCases, ...planAndSlideCases, ...calibrationRowsCases];

describe.each(["memory", "pglite", "postgres"] as const)("stores on %s", (kind) => {
  let target: TestDatabaseTarget | null = null;
  let db: Database | null = null;
  let stores: Stores;

  beforeAll(async () => {
    if (kind === "memory") {
      stores = memoryStores();
      return;
    }
    target = await createTestDatabase(kind);
    db = await openDatabase(target.env, { migrate: true });
    stores = prismaStores(db.prisma);
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await target?.drop();
  });

  for (const c of CASES) it(c.name, () => c.run(stores, freshIds()));
});
