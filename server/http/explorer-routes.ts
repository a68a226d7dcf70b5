// The browser explorer's files, served by Token Hat itself: onnxruntime-web's CPU (wasm) build and
// each bundled model's files, at content-hashed URLs that browsers may cache for a year. Nothing
// the explorer loads comes from another origin. GET /api/explorer lists the URLs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Request, type Response } from "express";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { ExplorerManifest } from "../../contract/http/explorer.ts";
import type { Registry } from "../../contract/inference/model-registry.ts";
import { sendOk } from "./respond.ts";

export const EXPLORER_ASSETS = "/explorer-assets";
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

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

  // The wasm and the models compress to about a quarter: that is what a school network carries. A
  // file never changes under its URL, so each is compressed once, not once for every phone in class.
  const compressed = new Map<string, Promise<Buffer>>();
  const compressedOf = (found: Asset, encoding: "br" | "gzip") => {
    const key = `${encoding}:${found.url}`;
    let body = compressed.get(key);
    if (!body) {
      body = readFile(found.file).then((raw) => (encoding === "br" ? brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : gzip(raw)));
      body.catch(() => compressed.delete(key));
      compressed.set(key, body);
    }
    return body;
  };

  // Soon after start, in the background: hash the files, and compress the two every phone needs
  // first (the runtime and the default model's phone copy), so the first student does not wait.
  // Only with models to offer: a server without them (the tests' in-process servers) skips it.
  const warm = () => {
    try {
      const { manifest, byUrl } = assets();
      const first = manifest.models.find((m) => m.id === manifest.defaultModel) ?? manifest.models[0];
      for (const url of [manifest.runtime.wasm, first?.int8?.url ?? first?.fp32.url]) {
        const found = url ? byUrl.get(url) : undefined;
        if (found) for (const encoding of ["gzip", "br"] as const) void compressedOf(found, encoding).catch(() => undefined);
      }
    } catch {
      // The first request reports it.
    }
  };
  if (registry) setTimeout(warm, 1000).unref();

  const files = express.Router();
  files.get("/:hash/:name", async (req: Request, res: Response) => {
    const found = assets().byUrl.get(`${EXPLORER_ASSETS}/${req.params.hash}/${req.params.name}`);
    if (!found) {
      res.status(404).type("text").send("No such file: the explorer's files are named by their content.");
      return;
    }
    const encoding = req.acceptsEncodings("br", "gzip");
    res.vary("Accept-Encoding").type(found.type);
    if (encoding !== "br" && encoding !== "gzip") {
      res.sendFile(found.file, { maxAge: "365d", immutable: true });
      return;
    }
    try {
      const body = await compressedOf(found, encoding);
      // Only a file that was sent may be kept for a year; an error is not.
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.setHeader("Content-Encoding", encoding);
      // The URL names the content; without this, Express would hash the body again on every send.
      res.setHeader("ETag", `"${req.params.hash}-${encoding}"`);
      res.send(body);
    } catch {
      res.status(500).type("text").send("The file could not be read.");
    }
  });

  const api = express.Router();
  api.get("/explorer", (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    sendOk(res, assets().manifest);
  });
  return { files, api };
}
