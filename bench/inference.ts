// npm run bench:inference: latency and throughput of the inference worker, measured in the same
// run against a bare onnxruntime session.run (the floor) and transformers.js (the peer).
// Uses the registry's default model (MODEL_REGISTRY, default models/registry.json), else stories260K.
// Writes bench/results/inference.json. Sized to finish in about 3 minutes on 2 CPU cores.
import { AutoModelForCausalLM, env, Tensor } from "@huggingface/transformers";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { softmax } from "../contract/numbers/distribution-math.ts";
import { BENCH_THREADS, benchModel, repoRoot } from "./bench-model.ts";
import type { ModelEntry } from "../contract/inference/worker-protocol.ts";
import { WorkerInference } from "../server/inference/worker-client.ts";
import { findOnnxFile } from "../workers/inference/loaded-model.ts";
import { openRawForward, sessionOptions } from "../workers/inference/raw-forward-bench.ts";

const LENGTHS = [8, 64, 256];
const BATCHES = [1, 8, 32, 64, 128];
// The same threads for ours, the raw floor and the peer.
const THREADS = BENCH_THREADS;
const STORY =
  "Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her big red ball. " +
  "One day, she saw a small dog under a tree. The dog was sad because it was lost. Lily wanted to help the dog find its home. ";

const quiet = { info: () => {}, warn: () => {}, error: (o: object | string, m?: string) => console.error(m ?? o) };


function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Stat {
  p50: number;
  p95: number;
  n: number;
}

/** Times `fn` after warm-up, stopping at `maxRuns` runs or `budgetMs` of wall time. */
async function time(fn: (i: number) => Promise<unknown>, maxRuns = 40, budgetMs = 4000, warmup = 3): Promise<Stat> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < maxRuns && (samples.length < 5 || performance.now() - started < budgetMs); i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), n: samples.length };
}

/** Times several functions round-robin after warm-up; stops at `maxRounds` or `budgetMs`. */
async function interleaved(fns: ((i: number) => Promise<unknown>)[], maxRounds = 60, budgetMs = 12_000): Promise<Stat[]> {
  for (let w = 0; w < 3; w++) for (const fn of fns) await fn(-1 - w);
  const samples: number[][] = fns.map(() => []);
  const started = performance.now();
  for (let i = 0; i < maxRounds && (i < 8 || performance.now() - started < budgetMs); i++) {
    for (const [k, fn] of fns.entries()) {
      const t = performance.now();
      await fn(i);
      samples[k]!.push(performance.now() - t);
    }
  }
  return samples.map((s) => ({ p50: percentile(s, 0.5), p95: percentile(s, 0.95), n: s.length }));
}

function client(entry: ModelEntry, kvCacheBytes: number): WorkerInference {
  return new WorkerInference({ models: [entry], defaultModel: entry.id, providers: ["cpu"], timeoutMs: 120_000, logger: quiet, kvCacheBytes, maxBatch: 128, threads: THREADS });
}

function transformersDtype(onnxFile: string): "fp32" | "fp16" | "q8" | "int8" | "q4" {
  const base = path.basename(onnxFile, ".onnx");
  if (base.endsWith("_fp16")) return "fp16";
  if (base.endsWith("_quantized")) return "q8";
  if (base.endsWith("_int8")) return "int8";
  if (base.endsWith("_q4")) return "q4";
  return "fp32";
}

async function main(): Promise<void> {
  const entry = benchModel();
  const onnxFile = findOnnxFile(entry.path, entry.file);
  if (!onnxFile) throw new Error(`no ONNX file in ${entry.path}`);
  console.log(`Model ${entry.id} (${path.relative(repoRoot, onnxFile)}), ${os.cpus().length} CPU cores, ${THREADS} inference thread(s), Node ${process.version}`);

  // Cold: process start, model load and the first answer.
  const cold: number[] = [];
  let ids: number[] = [];
  let contextLength = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const c = client(entry, 0);
    await c.distribution(STORY.slice(0, 40));
    cold.push(performance.now() - t);
    if (i === 0) {
      contextLength = c.status().models[0]!.contextLength;
      while (ids.length < Math.min(contextLength, 300)) ids = (await c.tokenize(STORY.repeat(Math.ceil((ids.length + 50) / 40)))).map((tok) => tok.id);
    }
    await c.close();
  }
  const lengths = LENGTHS.filter((n) => n <= contextLength);
  const uncached = client(entry, 0);
  const cached = client(entry, 512 * 1024 * 1024);
  await Promise.all([uncached.tokenize("x"), cached.tokenize("x")]);
  const raw = await openRawForward(entry.path, onnxFile, THREADS);
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(entry.path);
  const peer = await AutoModelForCausalLM.from_pretrained(path.basename(entry.path), {
    dtype: transformersDtype(onnxFile),
    device: "cpu",
    session_options: sessionOptions(THREADS),
  });
  const vocab = cached.status().models[0]!.vocabSize;

  const rows: Record<string, unknown>[] = [];
  const latency: Record<number, { raw: Stat; transformers: Stat; warm: Stat; cachedStep: Stat }> = {};
  for (const n of lengths) {
    const prefix = ids.slice(0, n);
    await cached.distribution({ ids: prefix.slice(0, n - 1) });
    // The four are timed in turn within each round, so load from other processes hits them alike.
    const [rawStat, peerStat, warm, step] = await interleaved([
      () => raw.run(prefix),
      async () => {
        const input = new Tensor("int64", BigInt64Array.from(prefix, BigInt), [1, n]);
        const mask = new Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]);
        const out = (await peer({ input_ids: input, attention_mask: mask })) as { logits: Tensor };
        softmax((out.logits.data as Float32Array).subarray((n - 1) * vocab, n * vocab));
      },
      () => uncached.distribution({ ids: prefix }),
      // Each round extends the cached n-1 prefix by a different token: one incremental step.
      (i) => cached.distribution({ ids: [...prefix.slice(0, n - 1), 3 + ((i + 1000) % (vocab - 3))] }),
    ]);
    latency[n] = { raw: rawStat!, transformers: peerStat!, warm: warm!, cachedStep: step! };
  }

  // Throughput: a class of N stories, each extended by one token per round (prefixes cached), and
  // the same N prefixes recomputed from scratch.
  const throughput: Record<number, { cachedStepPerSec: number; fullPerSec: number; cachedMs: number; fullMs: number }> = {};
  const storyBase = ids.slice(0, Math.min(31, contextLength - 2));
  for (const batch of BATCHES) {
    const stories = Array.from({ length: batch }, (_, j) => [...storyBase, 3 + (j % (vocab - 3))]);
    await cached.distributionBatch(stories.map((s) => ({ ids: s })), { topK: 5 });
    const rounds = batch >= 64 ? 5 : 8;
    const step = await time((r) => cached.distributionBatch(stories.map((s) => ({ ids: [...s, 3 + ((r + 100) % (vocab - 3))] })), { topK: 5 }), rounds, 6000, 1);
    const full = await time(() => uncached.distributionBatch(stories.map((s) => ({ ids: s })), { topK: 5 }), rounds, 6000, 1);
    throughput[batch] = { cachedStepPerSec: (batch / step.p50) * 1000, fullPerSec: (batch / full.p50) * 1000, cachedMs: step.p50, fullMs: full.p50 };
  }

  await Promise.all([uncached.close(), cached.close(), raw.release(), peer.dispose()]);

  const f = (x: number) => x.toFixed(2);
  console.log(`\ncold start (spawn + load + first answer): p50 ${f(percentile(cold, 0.5))} ms over ${cold.length} starts`);
  console.log("\nlatency, ms (p50 / p95)          raw ort        transformers.js   ours warm        ours cached step   warm/raw  tjs/warm  full/step");
  for (const n of lengths) {
    const l = latency[n]!;
    const cell = (s: Stat) => `${f(s.p50)} / ${f(s.p95)}`.padEnd(17);
    console.log(
      `  prefix ${String(n).padStart(3)} tokens              ${cell(l.raw)}${cell(l.transformers)}${cell(l.warm)}${cell(l.cachedStep)}  ` +
        `${f(l.warm.p50 / l.raw.p50).padStart(6)}x ${f(l.transformers.p50 / l.warm.p50).padStart(7)}x ${f(l.warm.p50 / l.cachedStep.p50).padStart(8)}x`,
    );
    rows.push({ prefix: n, ...l });
  }
  console.log("\nthroughput, next-token distributions per second");
  console.log("  batch   cached step/s   (ms/batch)   full recompute/s   (ms/batch)   cached vs batch 1   full vs batch 1");
  for (const batch of BATCHES) {
    const t = throughput[batch]!;
    const one = throughput[1]!;
    console.log(
      `  ${String(batch).padStart(5)}   ${f(t.cachedStepPerSec).padStart(13)}   ${f(t.cachedMs).padStart(10)}   ${f(t.fullPerSec).padStart(16)}   ${f(t.fullMs).padStart(10)}   ` +
        `${f(t.cachedStepPerSec / one.cachedStepPerSec).padStart(16)}x ${f(t.fullPerSec / one.fullPerSec).padStart(15)}x`,
    );
  }
  const out = path.join(repoRoot, "bench/results/inference.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      { model: entry.id, onnx: path.relative(repoRoot, onnxFile), cpus: os.cpus().length, threads: THREADS, node: process.version, date: new Date().toISOString(), coldMs: cold, latency: rows, throughput },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${path.relative(repoRoot, out)}`);
}

await main();
