// One server for the whole end-to-end run; its URL and first-run setup link go to the tests via env.
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { ROOT, startServerProcess } from "./server-process.ts";

export const STATE_FILE = path.join(ROOT, "test-results", "e2e-server.json");

export default async function globalSetup(): Promise<void> {
  const server = await startServerProcess();
  await mkdir(path.dirname(STATE_FILE), { recursive: true });
  await writeFile(STATE_FILE, JSON.stringify({ url: server.url, setupUrl: server.setupUrl, pid: server.child.pid, dataDir: server.dataDir }));
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_SETUP_URL = server.setupUrl ?? "";
  server.child.unref();
}
