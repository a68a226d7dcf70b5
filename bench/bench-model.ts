// The model the benches run: the registry's default (MODEL_REGISTRY, default models/registry.json),
// else the stories260K test model from ../shared.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadRegistry } from "../contract/inference/model-registry.ts";
import { defaultInferenceThreads, type ModelEntry } from "../contract/inference/worker-protocol.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function benchModel(): ModelEntry {
  const registryPath = path.resolve(repoRoot, process.env.MODEL_REGISTRY ?? "models/registry.json");
  if (existsSync(registryPath)) {
    const registry = loadRegistry(registryPath);
    return registry.models.find((m) => m.id === registry.defaultModel)!;
  }
  return { id: "stories260K", name: "stories260K", kind: "base", path: path.resolve(repoRoot, "../shared/models/stories260K") };
}

/** Inference threads: the server's default, or INFERENCE_THREADS as the server would read it. */
export const BENCH_THREADS = Number(process.env.INFERENCE_THREADS || defaultInferenceThreads());
