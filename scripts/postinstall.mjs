// Runs after `npm install` / `npm ci`. Everything here works offline:
// 1. Prisma's migrate wrapper loads its WebAssembly schema engine from @prisma/internals/build,
//    but the file ships inside the prisma CLI package; copy it there.
// 2. `prisma generate` only needs *some* schema-engine path to skip its engine download; generating
//    the client never runs it.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const prismaBuild = path.dirname(require.resolve("prisma/build/index.js"));
const internalsBuild = path.join(path.dirname(require.resolve("@prisma/internals/package.json")), "build");
mkdirSync(internalsBuild, { recursive: true });
copyFileSync(path.join(prismaBuild, "schema_engine_bg.wasm"), path.join(internalsBuild, "schema_engine_bg.wasm"));

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
execFileSync(process.execPath, [path.join(prismaBuild, "index.js"), "generate"], { stdio: "inherit", env });
if (!existsSync("server/db/generated/client.ts")) throw new Error("prisma generate wrote no client");
