import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRegistry, parseRegistry, RegistryError } from "../../../contract/inference/model-registry.ts";

const model = (id: string, extra: object = {}) => ({ id, name: id.toUpperCase(), kind: "base", path: `./${id}`, ...extra });

describe("model registry", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "registry-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("resolves relative model paths against the registry's folder and keeps absolute ones", () => {
    const registry = parseRegistry({ default: "b", models: [model("a"), model("b", { path: "/opt/models/b" })] }, "/srv/models");
    expect(registry.defaultModel).toBe("b");
    expect(registry.models.map((m) => m.path)).toEqual(["/srv/models/a", "/opt/models/b"]);
  });

  it("defaults to the first model when no default is named", () => {
    expect(parseRegistry({ models: [model("a"), model("b")] }, "/x").defaultModel).toBe("a");
  });

  it("keeps an explicit ONNX file choice", () => {
    expect(parseRegistry({ models: [model("a", { file: "onnx/model_q4.onnx" })] }, "/x").models[0]!.file).toBe("onnx/model_q4.onnx");
  });

  it.each([
    ["a default that is not a model", { default: "zzz", models: [model("a")] }, /default "zzz"/],
    ["duplicate ids", { models: [model("a"), model("a")] }, /appears twice/],
    ["an unknown kind", { models: [model("a", { kind: "chat" })] }, /models\.0\.kind/],
    ["no models", { models: [] }, /no models/],
    ["a missing path", { models: [{ id: "a", name: "A", kind: "base" }] }, /models\.0\.path/],
  ])("rejects %s", (_, json, message) => {
    expect(() => parseRegistry(json, "/x")).toThrow(message);
  });

  it("reports a missing file clearly", () => {
    const missing = path.join(dir, "nope.json");
    expect(() => loadRegistry(missing)).toThrow(RegistryError);
    expect(() => loadRegistry(missing)).toThrow(/does not exist/);
  });

  it("reports a file that is not JSON", () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, "{ models: ");
    expect(() => loadRegistry(file)).toThrow(/not valid JSON/);
  });

  it("loads a file from disk", () => {
    const file = path.join(dir, "registry.json");
    writeFileSync(file, JSON.stringify({ default: "a", models: [model("a")] }));
    expect(loadRegistry(file).models[0]!.path).toBe(path.join(dir, "a"));
  });
});
