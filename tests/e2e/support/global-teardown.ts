import { readFile } from "node:fs/promises";
import { STATE_FILE } from "./global-setup.ts";

export default async function globalTeardown(): Promise<void> {
  const state = JSON.parse(await readFile(STATE_FILE, "utf8")) as { pid: number };
  try {
    process.kill(state.pid, "SIGTERM");
  } catch {
    // already gone
  }
}
