// model:inspect prints the same distribution the worker serves.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { WorkerInference } from "../../../server/inference/worker-client.ts";
import { maxAbsDiff, memoryLogger, repoRoot, storiesPath } from "./model-fixture.ts";

function inspect(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", "tsx", "workers/inference/cli/inspect.ts", ...args], {
      cwd: repoRoot,
      env: { ...process.env, INFERENCE_PROVIDERS: "cpu" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

describe("model:inspect", () => {
  it("--json writes every vocabulary probability, equal to the worker's", async () => {
    const result = await inspect(["--model", storiesPath, "--prompt", "Lily went to the", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { probs: number[]; entropyBits: number; top: { text: string }[]; provider: string };
    expect(json.probs).toHaveLength(512);
    expect(json.provider).toBe("cpu");
    const worker = new WorkerInference({
      models: [{ id: "stories", name: "Stories", kind: "base", path: storiesPath }],
      defaultModel: "stories",
      providers: ["cpu"],
      timeoutMs: 60_000,
      logger: memoryLogger(),
    });
    try {
      const served = await worker.distribution("Lily went to the", { includeProbs: true });
      expect(maxAbsDiff(json.probs, served.probs!)).toBeLessThan(1e-6);
      expect(json.entropyBits).toBeCloseTo(served.entropyBits, 6);
    } finally {
      await worker.close();
    }
  });

  it("prints a table of tokens, probabilities and the entropy", async () => {
    const result = await inspect(["--model", storiesPath, "--prompt", "Once upon a time", "--top", "3"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/entropy \d+\.\d+ bits/);
    expect(result.stdout).toMatch(/ {3}1 {5}432 {5}0\.96\d+ {2}","/);
  });

  it("fails with a clear message for an unknown model", async () => {
    const result = await inspect(["--model", "no-such-model", "--prompt", "x"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/registry|no-such-model/);
  });
});
