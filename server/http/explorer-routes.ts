// The browser explorer's files, served by Token Hat itself: onnxruntime-web's CPU (wasm) build and
// each bundled model's files, at content-hashed URLs that browsers may cache for a year. Nothing
// the explorer loads comes from another origin. GET /api/explorer lists the URLs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Request, type Response } from "express";
import compression from "compression";
import type { ExplorerManifest } from "../../contract/http/explorer.ts";
import type { Registry } from "../../contract/inference/model-registry.ts";
import { sendOk } from "./respond.ts";

export const EXPLORER_ASSETS = "/explorer-assets";

interface Asset {
  file: string;
  url: string;
  bytes: number;
  type: string;
}

const TYPES: Record<string, string> = { ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".onnx": "application/octet-stream" };

function asset(file: string, name = path.basename(file)): Asset {
  const hash = createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 16);
  return { file, url: `${EXPLORER_ASSETS}/${hash}/${name}`, bytes: statSync(file).size, type: TYPES[path.extname(file)] ?? "application/octet-stream" };
}

/** The runtime's folder: the CPU build only (no WebGPU, no JSEP), which every phone browser runs. */
function ortDist(): string {
  return path.dirname(createRequire(import.meta.url).resolve("onnxruntime-web"));
}

export function buildExplorerAssets(registry: Registry): { manifest: ExplorerManifest; byUrl: Map<string, Asset> } {
  const dist = ortDist();
  const runtime = { module: asset(path.join(dist, "ort.wasm.min.mjs")), glue: asset(path.join(dist, "ort-wasm-simd-threaded.mjs")), wasm: asset(path.join(dist, "ort-wasm-simd-threaded.wasm")) };
  const all: Asset[] = Object.values(runtime);
  const models: ExplorerManifest["models"] = [];
  for (const entry of registry.models) {
    const file = (name: string) => path.join(entry.path, name);
    const phone = file("onnx/model_int8.onnx");
    const full = file("onnx/model.onnx");
    if (!existsSync(full) || !existsSync(file("tokenizer.json"))) continue;
    // Each model's files under the model's id, so two models' config.json never share a name.
    const named = (f: string) => asset(f, `${entry.id}-${path.basename(f)}`);
    const files = {
      int8: existsSync(phone) ? named(phone) : null,
      fp32: named(full),
      tokenizer: named(file("tokenizer.json")),
      tokenizerConfig: existsSync(file("tokenizer_config.json")) ? named(file("tokenizer_config.json")) : null,
      config: named(file("config.json")),
    };
    all.push(...Object.values(files).filter((a): a is Asset => a !== null));
    models.push({
      id: entry.id,
      name: entry.name,
      kind: entry.kind,
      int8: files.int8 && { url: files.int8.url, bytes: files.int8.bytes },
      fp32: { url: files.fp32.url, bytes: files.fp32.bytes },
      tokenizer: files.tokenizer.url,
      tokenizerConfig: files.tokenizerConfig?.url ?? null,
      config: files.config.url,
    });
  }
  const manifest: ExplorerManifest = {
    runtime: { module: runtime.module.url, glue: runtime.glue.url, wasm: runtime.wasm.url, bytes: runtime.module.bytes + runtime.glue.bytes + runtime.wasm.bytes },
    defaultModel: registry.defaultModel,
    models,
  };
  return { manifest, byUrl: new Map(all.map((a) => [a.url, a])) };
}

export function explorerRoutes(registry: Registry | null) {
  // Hashing about 60 MB takes a moment: done once, soon after start, or by the first request.
  let built: ReturnType<typeof buildExplorerAssets> | null = null;
  const assets = () => (built ??= buildExplorerAssets(registry ?? { defaultModel: "", models: [] }));
  setTimeout(() => {
    try {
      assets();
    } catch {
      // The first request reports it.
    }
  }, 1000).unref();

  const files = express.Router();
  // The wasm and the models compress to about a quarter over gzip: that is what a school network carries.
  files.use(compression({ threshold: 1024, filter: () => true }));
  files.get("/:hash/:name", (req: Request, res: Response) => {
    const found = assets().byUrl.get(`${EXPLORER_ASSETS}/${req.params.hash}/${req.params.name}`);
    if (!found) {
      res.status(404).type("text").send("No such file: the explorer's files are named by their content.");
      return;
    }
    // Only a file that was sent may be kept for a year; an error is not.
    res.type(found.type).sendFile(found.file, { maxAge: "365d", immutable: true });
  });

  const api = express.Router();
  api.get("/explorer", (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    sendOk(res, assets().manifest);
  });
  return { files, api };
}
