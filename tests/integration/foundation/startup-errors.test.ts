// Mistakes a user can make at start each give one actionable line and a non-zero exit.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");

function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

describe("start-up errors", () => {
  it("names the bad variable", async () => {
    const { code, stderr } = await runServer({ PORT: "eighty" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^token-hat: Invalid PORT="eighty"/);
    expect(stderr.split("\n")).toHaveLength(1);
  });

  it("says the port is in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = await mkdtemp(path.join(tmpdir(), "token-hat-port-"));
    try {
      const { code, stderr } = await runServer({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it("says PostgreSQL cannot be reached", async () => {
    const { code, stderr } = await runServer({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^token-hat: Cannot reach PostgreSQL at 127\.0\.0\.1:1\/nowhere \(DATABASE_URL\)/);
  });
});
