// One server for the whole end-to-end run; its URL and first-run setup link go to the tests via env.
import { existsSync } from "node:fs";
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { ROOT, startServerProcess } from "./server-process.ts";

export const STATE_FILE = path.join(ROOT, "test-results", "e2e-server.json");

export default async function globalSetup(): Promise<void> {
  // The bundled models are the product default; before they exist, fall back to the shared test model.
  const extraEnv: Record<string, string> = {};
  if (!existsSync(path.join(ROOT, "models", "registry.json"))) {
    const registry = path.join(ROOT, "test-results", "e2e-registry.json");
    await mkdir(path.dirname(registry), { recursive: true });
    const folder = path.resolve(ROOT, "../shared/models/stories260K");
    await writeFile(registry, JSON.stringify({ default: "stories260K", models: [{ id: "stories260K", name: "Stories 260K", kind: "base", path: folder }] }));
    extraEnv.MODEL_REGISTRY = registry;
  }
  const server = await startServerProcess(extraEnv);
  await mkdir(path.dirname(STATE_FILE), { recursive: true });
  await writeFile(STATE_FILE, JSON.stringify({ url: server.url, setupUrl: server.setupUrl, pid: server.child.pid, dataDir: server.dataDir }));
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_SETUP_URL = server.setupUrl ?? "";
  server.child.unref();
}
