// Every way a request or a model folder can be wrong gets an InferenceError with a stable code.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInference } from "../../../server/inference/index.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { memoryLogger, storiesPath, tempDir, writeRegistry } from "./model-fixture.ts";
import { identityOnnx } from "./tiny-onnx.ts";

/** A model folder whose metadata links to stories260K and whose ONNX file is `onnx`. */
function folderWith(root: string, name: string, onnx: Buffer | null, withTokenizer = true): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, "onnx"), { recursive: true });
  symlinkSync(path.join(storiesPath, "config.json"), path.join(dir, "config.json"));
  if (withTokenizer) symlinkSync(path.join(storiesPath, "tokenizer.json"), path.join(dir, "tokenizer.json"));
  if (onnx) writeFileSync(path.join(dir, "onnx/model.onnx"), onnx);
  else symlinkSync(path.join(storiesPath, "onnx/model.onnx"), path.join(dir, "onnx/model.onnx"));
  return dir;
}

describe("bad input and bad models", () => {
  const tmp = tempDir("inference-bad-");
  let inference: InferencePort;

  beforeAll(async () => {
    const registry = writeRegistry(tmp.dir, [
      { id: "stories", path: storiesPath },
      { id: "ghost", path: path.join(tmp.dir, "does-not-exist") },
      { id: "corrupt", path: folderWith(tmp.dir, "corrupt", Buffer.from("this is not a protobuf at all")) },
      { id: "not-lm", path: folderWith(tmp.dir, "not-lm", identityOnnx()) },
      { id: "no-tokenizer", path: folderWith(tmp.dir, "no-tokenizer", null, false) },
    ]);
    inference = createInference({ registryPath: registry, providers: ["cpu"], timeoutMs: 30_000, logger: memoryLogger() });
    await inference.tokenize("warm up");
  });

  afterAll(async () => {
    await inference?.close();
    tmp.remove();
  });

  it("serves the good model and names the broken ones in status", () => {
    const status = inference.status();
    expect(status.state).toBe("ready");
    expect(status.models.map((m) => m.id)).toEqual(["stories"]);
    for (const id of ["ghost", "corrupt", "not-lm", "no-tokenizer"]) expect(status.error).toContain(`"${id}"`);
  });

  it.each([
    ["ghost", "model_not_found", /folder does not exist/],
    ["corrupt", "model_invalid", /could not be opened by onnxruntime/],
    ["not-lm", "model_invalid", /not a causal language model/],
    ["no-tokenizer", "model_invalid", /tokenizer\.json is missing/],
    ["never-registered", "model_not_found", /no model "never-registered"/],
  ])("model %s fails with %s", async (model, code, message) => {
    const error: unknown = await inference.distribution("Once", { model }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InferenceError", code });
    expect((error as Error).message).toMatch(message);
  });

  const longIds = { ids: Array.from({ length: 513 }, () => 300) };
  it.each([
    ["empty_prompt", () => inference.distribution("")],
    ["empty_prompt", () => inference.distribution("   \n")],
    ["empty_prompt", () => inference.distribution({ ids: [] })],
    ["empty_prompt", () => inference.score("")],
    ["prompt_too_long", () => inference.distribution(longIds)],
    ["prompt_too_long", () => inference.distribution("and then ".repeat(300))],
    ["prompt_too_long", () => inference.score("and then ".repeat(300))],
    ["bad_temperature", () => inference.distribution("Once", { temperature: 0 })],
    ["bad_temperature", () => inference.sample("Once", { temperature: -1, seed: 1 })],
    ["bad_temperature", () => inference.sample("Once", { temperature: Number.NaN, seed: 1 })],
    ["bad_top_p", () => inference.sample("Once", { temperature: 1, topP: 0, seed: 1 })],
    ["bad_top_p", () => inference.sample("Once", { temperature: 1, topP: 1.01, seed: 1 })],
    ["bad_top_k", () => inference.sample("Once", { temperature: 1, topK: 0, seed: 1 })],
    ["bad_top_k", () => inference.distribution("Once", { topK: 2.5 })],
    ["bad_top_k", () => inference.distribution("Once", { bottomK: -1 })],
    ["bad_token_id", () => inference.distribution({ ids: [1, 512] })],
    ["bad_token_id", () => inference.sample({ ids: [1, -3] }, { temperature: 1, seed: 1 })],
  ])("rejects with %s (case %#)", async (code, call) => {
    await expect(call()).rejects.toMatchObject({ name: "InferenceError", code });
  });

  it("still answers after all those errors", async () => {
    await expect(inference.distribution("Once")).resolves.toMatchObject({ model: "stories" });
  });
});

describe("registry problems do not crash the server", () => {
  it("a missing registry file gives a failed status and not_ready errors", async () => {
    const logger = memoryLogger();
    const inference = createInference({ registryPath: "/nonexistent/registry.json", providers: ["cpu"], timeoutMs: 1000, logger });
    expect(inference.status()).toMatchObject({ state: "failed", models: [], provider: null });
    expect(inference.status().error).toMatch(/does not exist/);
    await expect(inference.distribution("Once")).rejects.toMatchObject({ code: "not_ready" });
    expect(logger.lines.some((l) => l.level === "error")).toBe(true);
    await inference.close();
  });

  it("a registry whose every model is broken gives a failed status and the models' own errors", async () => {
    const tmp = tempDir("inference-allbad-");
    try {
      const registry = writeRegistry(tmp.dir, [{ id: "ghost", path: path.join(tmp.dir, "nothing") }]);
      const inference = createInference({ registryPath: registry, providers: ["cpu"], timeoutMs: 30_000, logger: memoryLogger() });
      await expect(inference.distribution("Once")).rejects.toMatchObject({ code: "model_not_found" });
      expect(inference.status()).toMatchObject({ state: "failed" });
      await inference.close();
    } finally {
      tmp.remove();
    }
  });
});
