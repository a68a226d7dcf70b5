// One causal LM in memory: its files, tokenizer, onnxruntime session and prefix cache, and the
// batched forward passes that produce next-token logits.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { InferenceError, type ModelInfo, type Prefix } from "../../contract/inference/port.ts";
import type { ModelEntry, ModelStats } from "../../contract/inference/worker-protocol.ts";
import { packBatch, unpackPresent, type BatchItem, type KvArray, type KvShape } from "../../contract/inference/model/batch-inputs.ts";
import { logitsRow, modelFeeds } from "../../contract/inference/model/feeds.ts";
import { readArchitecture, type ArchitectureConfig } from "../../contract/inference/model/model-config.ts";
import { PrefixCache } from "./prefix-cache.ts";
import { createSession, type WorkerLog } from "./session-providers.ts";
import { readSessionLayout, type SessionLayout } from "../../contract/inference/model/session-layout.ts";
import { TextTokenizer } from "../../contract/inference/model/text-tokenizer.ts";

/** Preferred ONNX files when the registry does not name one: full precision first, then quantized. */
const ONNX_CANDIDATES = [
  "onnx/model.onnx",
  "onnx/decoder_model_merged.onnx",
  "onnx/model_quantized.onnx",
  "onnx/model_int8.onnx",
  "onnx/model_q4.onnx",
  "onnx/model_fp16.onnx",
  "onnx/decoder_model_merged_quantized.onnx",
  "model.onnx",
];

/** Upper bound on one call's logits tensor, so a big batch over a big vocabulary is split up. */
const LOGITS_BUDGET_BYTES = 256 * 1024 * 1024;

interface CachedState {
  kv: KvArray[];
  lastLogits: Float32Array;
}

export interface LoadOptions {
  providers: readonly string[];
  kvCacheBytes: number;
  maxBatch: number;
  /** CPU threads of each session (INFERENCE_THREADS). */
  threads: number;
  log: WorkerLog;
}

function readJson(file: string, where: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
    return value as Record<string, unknown>;
  } catch (error) {
    throw new InferenceError("model_invalid", `${where}: ${path.basename(file)} is not valid JSON (${(error as Error).message}).`);
  }
}

export function findOnnxFile(folder: string, file?: string): string | null {
  if (file) return existsSync(path.resolve(folder, file)) ? path.resolve(folder, file) : null;
  for (const candidate of ONNX_CANDIDATES) {
    const full = path.join(folder, candidate);
    if (existsSync(full)) return full;
  }
  const onnxDir = path.join(folder, "onnx");
  const any = existsSync(onnxDir) ? readdirSync(onnxDir).filter((f) => f.endsWith(".onnx")).sort() : [];
  return any[0] ? path.join(onnxDir, any[0]) : null;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export class LoadedModel {
  private readonly cache: PrefixCache<CachedState>;
  private readonly kvShape: KvShape;
  private readonly counters = { forwardCalls: 0, sequences: 0, tokensComputed: 0, exactHits: 0 };
  /** Past buffers reused between calls; safe because calls never overlap (the queue serializes them). */
  private readonly pastScratch: KvArray[] = [];

  private constructor(
    readonly info: ModelInfo,
    readonly provider: string,
    readonly tokenizer: TextTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly layout: SessionLayout,
    private readonly maxBatch: number,
    kvCacheBytes: number,
  ) {
    this.cache = new PrefixCache(kvCacheBytes);
    this.kvShape = { pastCount: layout.pastNames.length, heads: layout.kvHeads, headDim: layout.headDim, float16: layout.kvType === "float16" };
  }

  static async load(entry: ModelEntry, options: LoadOptions): Promise<LoadedModel> {
    const where = `Model "${entry.id}" (${entry.path})`;
    if (!existsSync(entry.path) || !statSync(entry.path).isDirectory()) {
      throw new InferenceError("model_not_found", `${where}: the folder does not exist.`);
    }
    for (const required of ["config.json", "tokenizer.json"]) {
      if (!existsSync(path.join(entry.path, required))) {
        throw new InferenceError("model_invalid", `${where}: ${required} is missing; a model folder needs config.json, tokenizer.json and onnx/model.onnx.`);
      }
    }
    const onnxPath = findOnnxFile(entry.path, entry.file);
    if (!onnxPath) throw new InferenceError("model_invalid", `${where}: no ONNX file found (looked for ${entry.file ?? "onnx/model*.onnx"}).`);
    const config = readJson(path.join(entry.path, "config.json"), where);
    const tokenizerConfigPath = path.join(entry.path, "tokenizer_config.json");
    const tokenizerConfig = existsSync(tokenizerConfigPath) ? readJson(tokenizerConfigPath, where) : {};
    const arch = readArchitecture(config, where);
    let tokenizer: TextTokenizer;
    try {
      tokenizer = new TextTokenizer(readJson(path.join(entry.path, "tokenizer.json"), where), tokenizerConfig, {
        bos: arch.bosTokenId,
        eos: arch.eosTokenId,
        pad: arch.padTokenId,
      });
    } catch (error) {
      if (error instanceof InferenceError) throw error;
      throw new InferenceError("model_invalid", `${where}: tokenizer.json could not be loaded (${(error as Error).message}).`);
    }
    let created: Awaited<ReturnType<typeof createSession>>;
    try {
      created = await createSession(onnxPath, options.providers, options.log, options.threads);
    } catch (error) {
      throw new InferenceError("model_invalid", `${where}: ${path.basename(onnxPath)} could not be opened by onnxruntime (${(error as Error).message.slice(0, 300)}).`);
    }
    const { session, provider } = created;
    const layout = readSessionLayout(session.inputMetadata, session.outputMetadata, arch, where);
    const sha256 = await sha256File(onnxPath);
    const contextLength = contextLengthOf(arch, tokenizerConfig);
    const model = new LoadedModel(
      {
        id: entry.id,
        name: entry.name,
        kind: entry.kind,
        vocabSize: 0,
        contextLength,
        sha256,
        hasChatTemplate: tokenizer.chatTemplate !== null,
      },
      provider,
      tokenizer,
      session,
      layout,
      options.maxBatch,
      options.kvCacheBytes,
    );
    // One real step proves the graph runs and tells the vocabulary size from the logits themselves.
    const warmId = tokenizer.bosId ?? tokenizer.encode("a")[0] ?? 0;
    try {
      const [logits] = await model.forward([{ past: null, pastLength: 0, newIds: [warmId] }]);
      model.info.vocabSize = logits!.logits.length;
    } catch (error) {
      await session.release();
      throw new InferenceError("model_invalid", `${where}: a test forward pass failed (${(error as Error).message.slice(0, 300)}).`);
    }
    model.cache.clear();
    return model;
  }

  /** The ids a prefix stands for, checked against the vocabulary and context length. */
  prefixIds(prefix: Prefix, chat = false): number[] {
    let ids: number[];
    if (typeof prefix === "string") {
      if (prefix.trim() === "") throw new InferenceError("empty_prompt", "The prompt is empty: type at least one word.");
      ids = this.tokenizer.promptIds(prefix, chat);
    } else {
      ids = [...prefix.ids];
      const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= this.info.vocabSize);
      if (bad !== undefined) {
        throw new InferenceError("bad_token_id", `Token id ${bad} is not in the vocabulary of "${this.info.id}" (0 to ${this.info.vocabSize - 1}).`);
      }
    }
    if (ids.length === 0) throw new InferenceError("empty_prompt", "The prompt is empty: type at least one word.");
    if (ids.length > this.info.contextLength) {
      throw new InferenceError(
        "prompt_too_long",
        `The prompt is ${ids.length} tokens long; "${this.info.id}" reads at most ${this.info.contextLength}.`,
      );
    }
    return ids;
  }

  /** Next-token logits after each sequence, reusing cached prefixes and batching the rest. */
  async lastLogits(sequences: readonly (readonly number[])[]): Promise<Float32Array[]> {
    const results: (Float32Array | null)[] = sequences.map(() => null);
    const pending: { index: number; ids: readonly number[]; item: BatchItem }[] = [];
    sequences.forEach((ids, index) => {
      const hit = this.cache.longestPrefix(ids);
      if (hit && hit.ids.length === ids.length) {
        this.counters.exactHits += 1;
        results[index] = hit.value.lastLogits;
        return;
      }
      const usable = hit && this.layout.pastNames.length > 0 ? hit : null;
      const pastLength = usable ? usable.ids.length : 0;
      pending.push({ index, ids, item: { past: usable ? usable.value.kv : null, pastLength, newIds: ids.slice(pastLength) } });
    });
    // Sequences sharing work are computed once: identical requests in one batch are common in class.
    const unique = new Map<string, (typeof pending)[number]>();
    const duplicates: { index: number; key: string }[] = [];
    for (const p of pending) {
      const key = p.ids.join(",");
      if (unique.has(key)) duplicates.push({ index: p.index, key });
      else unique.set(key, p);
    }
    for (const chunk of this.chunk([...unique.values()])) {
      const outputs = await this.forward(chunk.map((c) => c.item));
      this.counters.forwardCalls += 1;
      this.counters.sequences += chunk.length;
      this.counters.tokensComputed += chunk.reduce((sum, c) => sum + c.item.newIds.length, 0);
      chunk.forEach((c, b) => {
        const out = outputs[b]!;
        results[c.index] = out.logits;
        const kv = out.kv ?? [];
        const bytes = kv.reduce((sum, a) => sum + a.byteLength, 0) + out.logits.byteLength;
        this.cache.set(c.ids, { kv, lastLogits: out.logits }, bytes);
      });
    }
    for (const d of duplicates) results[d.index] = results[unique.get(d.key)!.index]!;
    return results.map((r) => r!);
  }

  /** Logits at every position of `ids` (row i predicts token i + 1), from one full pass. */
  async allLogits(ids: readonly number[]): Promise<Float32Array[]> {
    const item: BatchItem = { past: null, pastLength: 0, newIds: ids };
    const packed = packBatch([item], this.kvShape, this.tokenizer.padId);
    const outputs = await this.session.run(this.feeds(packed));
    const logits = outputs.logits!;
    const [, seq, vocab] = logits.dims as [number, number, number];
    if (seq !== ids.length) throw new Error(`expected logits for ${ids.length} positions, got ${seq}`);
    const rows: Float32Array[] = [];
    // Views, not copies: a long text over a large vocabulary is hundreds of megabytes of logits.
    for (let t = 0; t < seq; t++) {
      rows.push(this.layout.logitsType === "float32" ? (logits.data as Float32Array).subarray(t * vocab, (t + 1) * vocab) : this.logitsRow(logits, t * vocab, vocab));
    }
    return rows;
  }

  async release(): Promise<void> {
    this.cache.clear();
    await this.session.release();
  }

  stats(): ModelStats {
    return { model: this.info.id, ...this.counters, cacheEntries: this.cache.size, cacheBytes: this.cache.bytes };
  }

  /** Groups items into calls that respect the batch size and the logits memory budget. */
  private chunk<T extends { item: BatchItem }>(items: T[]): T[][] {
    const sorted = [...items].sort((a, b) => a.item.pastLength - b.item.pastLength || a.item.newIds.length - b.item.newIds.length);
    const vocab = Math.max(1, this.info.vocabSize);
    const chunks: T[][] = [];
    let current: T[] = [];
    for (const entry of sorted) {
      const first = current[0];
      // Without position_ids the graph counts positions itself, so only same-shape items may share a call.
      const sameShape =
        !first || (first.item.pastLength === entry.item.pastLength && first.item.newIds.length === entry.item.newIds.length);
      const bytes = (current.length + 1) * entry.item.newIds.length * vocab * 4;
      if (current.length > 0 && (current.length >= this.maxBatch || bytes > LOGITS_BUDGET_BYTES || (!this.layout.hasPositionIds && !sameShape))) {
        chunks.push(current);
        current = [];
      }
      current.push(entry);
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  private async forward(items: BatchItem[]): Promise<{ logits: Float32Array; kv: KvArray[] | null }[]> {
    const packed = packBatch(items, this.kvShape, this.tokenizer.padId, this.pastScratch);
    const outputs = await this.session.run(this.feeds(packed));
    const logits = outputs.logits!;
    const [, seq, vocab] = logits.dims as [number, number, number];
    return items.map((item, b) => {
      const row = this.logitsRow(logits, (b * seq + seq - 1) * vocab, vocab);
      if (this.layout.presentNames.length === 0) return { logits: row, kv: null };
      const kv = this.layout.presentNames.map((name) =>
        unpackPresent(outputs[name]!.data as KvArray, packed, item, b, this.kvShape),
      );
      return { logits: row, kv };
    });
  }

  private logitsRow(logits: ort.Tensor, offset: number, vocab: number): Float32Array {
    return logitsRow(logits.data as Float32Array | Uint16Array, this.layout.logitsType, offset, vocab);
  }

  private feeds(packed: ReturnType<typeof packBatch>): Record<string, ort.Tensor> {
    return modelFeeds(packed, this.layout, (type, data, dims) => new ort.Tensor(type, data, dims));
  }
}

function contextLengthOf(arch: ArchitectureConfig, tokenizerConfig: Record<string, unknown>): number {
  if (arch.contextLength !== null) return arch.contextLength;
  const fromTokenizer = tokenizerConfig.model_max_length;
  // Tokenizers without a limit store a huge sentinel (1e30); that is no context length.
  if (typeof fromTokenizer === "number" && fromTokenizer > 0 && fromTokenizer < 1e7) return fromTokenizer;
  return 2048;
}
