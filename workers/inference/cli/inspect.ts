// npm run model:inspect -- --model <id|folder> --prompt "<text>" [--top 20] [--json] [--chat] [--temperature T]
// Runs the model in this process and prints the next-token distribution.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { distributionFrom } from "../../../contract/inference/port-results.ts";
import { loadRegistry } from "../../../contract/inference/model-registry.ts";
import { InferenceError } from "../../../contract/inference/port.ts";
import { defaultInferenceThreads, type ModelEntry } from "../../../contract/inference/worker-protocol.ts";
import { LoadedModel } from "../loaded-model.ts";

const USAGE = 'Usage: npm run model:inspect -- --model <id|folder> --prompt "<text>" [--top 20] [--json] [--chat] [--temperature 1]';

function resolveModel(model: string | undefined): ModelEntry {
  if (model && existsSync(model) && statSync(model).isDirectory()) {
    const folder = path.resolve(model);
    return { id: path.basename(folder), name: path.basename(folder), kind: "base", path: folder };
  }
  const registry = loadRegistry(process.env.MODEL_REGISTRY ?? "models/registry.json");
  const id = model ?? registry.defaultModel;
  const entry = registry.models.find((m) => m.id === id);
  if (!entry) throw new InferenceError("model_not_found", `"${id}" is neither a folder nor a model in the registry (${registry.models.map((m) => m.id).join(", ")}).`);
  return entry;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      prompt: { type: "string" },
      top: { type: "string", default: "20" },
      json: { type: "boolean", default: false },
      chat: { type: "boolean", default: false },
      temperature: { type: "string", default: "1" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || values.prompt === undefined) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const top = Number(values.top);
  const temperature = Number(values.temperature);
  const providers = (process.env.INFERENCE_PROVIDERS ?? "cuda,webgpu,cpu").split(",").map((p) => p.trim()).filter(Boolean);
  let model: LoadedModel | null = null;
  try {
    model = await LoadedModel.load(resolveModel(values.model), {
      providers,
      kvCacheBytes: 0,
      maxBatch: 1,
      threads: defaultInferenceThreads(),
      log: (level, msg) => level !== "info" && console.error(msg),
    });
    const ids = model.prefixIds(values.prompt, values.chat);
    const [logits] = await model.lastLogits([ids]);
    const textOf = (id: number) => model!.tokenizer.tokenText(id);
    const prefix = ids.map((id) => model!.tokenizer.token(id));
    const d = distributionFrom(model.info.id, prefix, logits!, { topK: top, bottomK: 5, temperature, includeProbs: values.json }, textOf);
    if (values.json) {
      console.log(JSON.stringify({ ...d, probs: d.probs && Array.from(d.probs), provider: model.provider, sha256: model.info.sha256, prompt: values.prompt, temperature }));
      return 0;
    }
    console.log(`model ${model.info.id} on ${model.provider} (vocabulary ${d.vocabSize}, sha256 ${model.info.sha256.slice(0, 12)}…)`);
    console.log(`prompt tokens: ${prefix.map((t) => `${t.id}:${JSON.stringify(t.text)}`).join(" ")}`);
    console.log(`entropy ${d.entropyBits.toFixed(3)} bits; mass outside the top ${d.top.length}: ${d.restMass.toExponential(3)}`);
    console.log("rank      id  probability  text");
    d.top.forEach((t, i) => console.log(`${String(i + 1).padStart(4)}  ${String(t.id).padStart(6)}  ${t.p.toFixed(6).padStart(11)}  ${JSON.stringify(t.text)}`));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await model?.release();
  }
}

process.exitCode = await main();
