import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrainingData } from "../../../server/training-data/training-data.ts";
import { startApp, type RunningApp } from "../../support/app-server.ts";

const quiet = { info: () => undefined, warn: () => undefined };

describe("training-data search endpoint", () => {
  let server: RunningApp;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "token-hat-corpus-"));
    const file = path.join(dir, "corpus.txt.gz");
    await writeFile(file, gzipSync("Albert Einstein was a physicist.\nEinstein played the violin.\nOnce upon a time.\n"));
    const trainingData = loadTrainingData(file, quiet);
    await trainingData.ready;
    server = await startApp({ kind: "pglite", trainingData });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("counts a phrase and shows examples with the match located", async () => {
    const res = await fetch(`${server.url}/api/training-data/search?q=${encodeURIComponent("Einstein")}`);
    const body = (await res.json()) as { data: { count: number; examples: { text: string; match: [number, number] }[] } };
    expect(res.status).toBe(200);
    expect(body.data.count).toBe(2);
    expect(body.data.examples.map((e) => e.text.slice(...e.match))).toEqual(["Einstein", "Einstein"]);
  });

  it("answers zero for a phrase the models never saw", async () => {
    const res = await fetch(`${server.url}/api/training-data/search?q=Blake%20Bourne`);
    expect(((await res.json()) as { data: { count: number } }).data.count).toBe(0);
  });

  it("rejects an empty query", async () => {
    expect((await fetch(`${server.url}/api/training-data/search?q=`)).status).toBe(400);
  });

  it("reports a missing training file as unavailable, not as a crash", async () => {
    const missing = loadTrainingData("/nonexistent/corpus.txt.gz", quiet);
    await missing.ready;
    expect(missing.status().state).toBe("missing");
    expect(missing.search("Einstein")).toBeNull();
  });
});
