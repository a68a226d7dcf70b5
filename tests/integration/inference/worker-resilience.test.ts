// The model process can crash, hang or be slow; the server side must always answer, and recover.
import { afterEach, describe, expect, it } from "vitest";
import { WorkerInference, type WorkerClientOptions } from "../../../server/inference/worker-client.ts";
import { memoryLogger, storiesPath } from "./model-fixture.ts";

const open: WorkerInference[] = [];

async function readyClient(options: Partial<WorkerClientOptions> = {}): Promise<WorkerInference> {
  const client = new WorkerInference({
    models: [{ id: "stories", name: "Stories", kind: "base", path: storiesPath }],
    defaultModel: "stories",
    providers: ["cpu"],
    timeoutMs: 30_000,
    logger: memoryLogger(),
    testHooks: true,
    ...options,
  });
  open.push(client);
  // Poll rather than send a request: a short test timeout must not cover the worker's start.
  for (let waited = 0; client.status().state !== "ready"; waited += 50) {
    if (waited > 60_000) throw new Error("the worker did not start");
    await sleep(50);
  }
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe("worker resilience", () => {
  it("a worker killed mid-request fails the in-flight requests clearly, restarts, and serves the next one", async () => {
    const client = await readyClient();
    const pid = client.workerPid!;
    const stalled = client.debugStall(10_000).catch((e: unknown) => e);
    const inFlight = client.distribution("Once upon a time").catch((e: unknown) => e);
    await sleep(200);
    process.kill(pid, "SIGKILL");
    expect(await inFlight).toMatchObject({ name: "InferenceError", code: "worker_crashed" });
    expect(await stalled).toMatchObject({ code: "worker_crashed" });
    const next = await client.distribution("Once upon a time", { topK: 1 });
    expect(next.top[0]!.text).toBe(",");
    const status = client.status();
    expect(status).toMatchObject({ state: "ready", restarts: 1 });
    expect(status.error).toMatch(/exited \(SIGKILL\)/);
    expect(client.workerPid).not.toBe(pid);
  });

  it("a request that takes longer than the timeout fails with timeout, and later requests work", async () => {
    const client = await readyClient({ timeoutMs: 800 });
    const started = Date.now();
    const stalled = client.debugStall(2_400).catch((e: unknown) => e);
    const queued = client.distribution("Once").catch((e: unknown) => e);
    expect(await queued).toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await stalled).toMatchObject({ code: "timeout" });
    await sleep(2_500);
    await expect(client.distribution("Once")).resolves.toMatchObject({ model: "stories" });
    expect(client.status().restarts).toBe(0);
  });

  it("a worker that stops answering pings is killed and restarted", async () => {
    const client = await readyClient({ heartbeatMs: 100, hangMs: 1_000 });
    const pid = client.workerPid!;
    const hung = client.debugStall(60_000).catch((e: unknown) => e);
    const inFlight = client.distribution("Once").catch((e: unknown) => e);
    expect(await inFlight).toMatchObject({ code: "worker_crashed" });
    expect(await hung).toMatchObject({ code: "worker_crashed" });
    await expect(client.distribution("Once")).resolves.toMatchObject({ model: "stories" });
    expect(client.workerPid).not.toBe(pid);
    expect(client.status().error).toMatch(/stopped answering/);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("requests made while the worker restarts wait for it instead of failing", async () => {
    const client = await readyClient();
    process.kill(client.workerPid!, "SIGKILL");
    // Once the exit is noticed (state leaves "ready"), new requests must queue for the new process.
    for (let waited = 0; client.status().state === "ready"; waited += 5) {
      if (waited > 10_000) throw new Error("the exit was never noticed");
      await sleep(5);
    }
    const during = await client.distribution("Once", { topK: 1 });
    expect(during.top).toHaveLength(1);
    expect(client.status().restarts).toBe(1);
  });

  it("close() ends the worker and rejects what is still waiting", async () => {
    const client = await readyClient();
    const pid = client.workerPid!;
    const pending = client.debugStall(5_000).catch((e: unknown) => e);
    await client.close();
    expect(await pending).toMatchObject({ code: "not_ready" });
    await sleep(100);
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(client.distribution("Once")).rejects.toMatchObject({ code: "not_ready" });
  });
});
