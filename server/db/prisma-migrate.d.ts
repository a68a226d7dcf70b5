// @prisma/migrate ships no types for its entry point. These are the few members we use; see migrate.ts.
declare module "@prisma/migrate" {
  import type { ErrorCapturingSqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

  interface SchemaContextLike {
    schemaFiles: [string, string][];
    configDir: string;
  }
  class SchemaEngineWasm {
    static setup(options: { adapter: ErrorCapturingSqlMigrationAwareDriverAdapterFactory; schemaContext: SchemaContextLike }): Promise<SchemaEngineWasm>;
    runCommand(command: string, input: unknown): Promise<unknown>;
    stop(): Promise<void>;
  }
  class Migrate {
    constructor(options: { engine: SchemaEngineWasm; schemaContext: SchemaContextLike; migrationsDirPath: string });
    listMigrationDirectories(): Promise<{ migrations: string[] }>;
    applyMigrations(): Promise<{ appliedMigrationNames: string[] }>;
    diagnoseMigrationHistory(options: { optInToShadowDatabase: boolean }): Promise<unknown>;
  }
  const prismaMigrate: { Migrate: typeof Migrate; SchemaEngineWasm: typeof SchemaEngineWasm };
  export default prismaMigrate;
}
