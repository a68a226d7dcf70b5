// A bundled model running in the browser with onnxruntime-web's CPU (wasm) build, loaded from this
// server only. The forward pass, the tokenizer and every number after the logits are the server's
// own code from contract/: the same prompt, settings and seed give the same distribution and slip.
import type * as Ort from "onnxruntime-web";
import type { ExplorerManifest, ExplorerModelFiles } from "@/contract/http/explorer";
import type { Distribution, Sample, Score, Token } from "@/contract/inference/port";
import { distributionFrom, sampleFrom, scoreFrom } from "@/contract/inference/port-results";
import { softmax } from "@/contract/numbers/distribution-math";
import { hatSource, shapeHat, type ShapedHat } from "@/contract/numbers/hat/hat-shape";
import { packBatch } from "@/contract/inference/model/batch-inputs";
import { logitsRow, modelFeeds } from "@/contract/inference/model/feeds";
import { readArchitecture } from "@/contract/inference/model/model-config";
import { readSessionLayout, type SessionLayout } from "@/contract/inference/model/session-layout";
import { TextTokenizer } from "@/contract/inference/model/text-tokenizer";

export type Precision = "int8" | "fp32";
export type Progress = (loaded: number, total: number) => void;

let runtime: Promise<typeof Ort> | null = null;

/** The runtime, once per page: its module, glue and wasm all from this server. */
function loadRuntime(manifest: ExplorerManifest): Promise<typeof Ort> {
  runtime ??= (import(/* webpackIgnore: true */ manifest.runtime.module) as Promise<typeof Ort>).then((ort) => {
    ort.env.wasm.wasmPaths = { mjs: manifest.runtime.glue, wasm: manifest.runtime.wasm };
    // Threads need cross-origin isolation, which a plain school server does not have.
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  });
  return runtime;
}

/** Downloads a file, reporting progress against its uncompressed size (what the manifest knows). */
async function download(url: string, total: number, progress: Progress): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`could not download ${url} (${res.status})`);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    loaded += value.length;
    progress(Math.min(loaded, total), total);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const json = async (url: string) => (await (await fetch(url)).json()) as Record<string, unknown>;

export class BrowserModel {
  private constructor(
    readonly files: ExplorerModelFiles,
    readonly precision: Precision,
    readonly tokenizer: TextTokenizer,
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly layout: SessionLayout,
    readonly contextLength: number,
  ) {}

  static async load(manifest: ExplorerManifest, files: ExplorerModelFiles, precision: Precision, progress: Progress): Promise<BrowserModel> {
    const weights = precision === "int8" && files.int8 ? files.int8 : files.fp32;
    const [ort, config, tokenizerJson, tokenizerConfig, bytes] = await Promise.all([
      loadRuntime(manifest),
      json(files.config),
      json(files.tokenizer),
      files.tokenizerConfig ? json(files.tokenizerConfig) : Promise.resolve({}),
      download(weights.url, weights.bytes, progress),
    ]);
    const where = `Model "${files.id}"`;
    const arch = readArchitecture(config, where);
    const tokenizer = new TextTokenizer(tokenizerJson, tokenizerConfig, { bos: arch.bosTokenId, eos: arch.eosTokenId, pad: arch.padTokenId });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
    const layout = readSessionLayout(session.inputMetadata as never, session.outputMetadata as never, arch, where);
    const contextLength = arch.contextLength ?? 256;
    const model = new BrowserModel(files, weights === files.int8 ? "int8" : "fp32", tokenizer, ort, session, layout, contextLength);
    // One real step proves the graph runs here and warms it before the first keystroke.
    await model.logitsAt([tokenizer.bosId ?? 1]);
    return model;
  }

  get chat(): boolean {
    return this.tokenizer.chatTemplate !== null;
  }

  /** A prompt's tokens, as the server reads it (BOS first, or the chat markers). */
  promptTokens(text: string, chat = false): Token[] {
    const ids = this.tokenizer.promptIds(text, chat && this.chat).slice(-this.contextLength);
    return ids.map((id) => this.tokenizer.token(id));
  }

  /** Logits at every position of `ids` (row i predicts token i + 1), from one full pass. */
  async logitsAt(ids: readonly number[]): Promise<Float32Array[]> {
    const packed = packBatch([{ past: null, pastLength: 0, newIds: ids }], { pastCount: this.layout.pastNames.length, heads: this.layout.kvHeads, headDim: this.layout.headDim, float16: this.layout.kvType === "float16" }, this.tokenizer.padId);
    const outputs = await this.session.run(modelFeeds(packed, this.layout, (type, data, dims) => new this.ort.Tensor(type, data as never, dims)));
    const logits = outputs.logits!;
    const vocab = logits.dims[2]!;
    return ids.map((_, t) => logitsRow(logits.data as Float32Array | Uint16Array, this.layout.logitsType, t * vocab, vocab));
  }

  async distribution(ids: readonly number[], topK = 10): Promise<Distribution & { rows: Float32Array[] }> {
    const rows = await this.logitsAt(ids);
    const d = distributionFrom(this.files.id, ids.map((id) => this.tokenizer.token(id)), rows.at(-1)!, { topK, bottomK: 0, includeProbs: true }, (id) => this.tokenizer.tokenText(id));
    return { ...d, rows };
  }

  /** The hat's draw: the server's slip counts and seeded draw over these logits. */
  sample(logits: Float32Array, options: { temperature: number; topP: number; topK?: number; seed: number }): Sample {
    return sampleFrom(this.files.id, logits, options, (id) => this.tokenizer.tokenText(id));
  }

  /** The hat the draw comes from: the same 10,000 slips as sample() uses. */
  hat(logits: Float32Array, dial: { temperature: number; topP: number; topK?: number }): ShapedHat {
    return shapeHat(hatSource(softmax(logits, 1), () => false), { temperature: dial.temperature, topP: dial.topP, topK: dial.topK ?? null });
  }

  /** The chain rule over `tokens` (each predicted by the row before it). */
  score(tokens: Token[], rows: readonly Float32Array[]): Score {
    return scoreFrom(this.files.id, tokens, rows);
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
