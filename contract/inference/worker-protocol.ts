// Messages between the server (worker-client.ts) and the model process (workers/inference).
// Sent over Node's IPC channel with "advanced" serialization, so typed arrays cross cheaply.
import os from "node:os";
import type {
  Distribution,
  DistributionOptions,
  InferenceErrorCode,
  ModelInfo,
  Prefix,
  Sample,
  SampleOptions,
  Score,
  ScoreOptions,
  Token,
} from "./port.ts";

/** All cores but one, so the web server keeps a core of its own (one thread on a 2-core machine). */
export function defaultInferenceThreads(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export interface ModelEntry {
  id: string;
  name: string;
  kind: "base" | "instruct";
  /** Absolute path of the model folder. */
  path: string;
  /** ONNX file inside the folder, when the registry names one (e.g. "onnx/model_q4.onnx"). */
  file?: string;
}

export interface WorkerConfig {
  models: ModelEntry[];
  defaultModel: string;
  providers: string[];
  kvCacheBytes: number;
  batchWindowMs: number;
  maxBatch: number;
  threads: number;
  testHooks: boolean;
}

export type WorkerRequest =
  | { op: "tokenize"; model?: string; text: string }
  | { op: "chatPrompt"; model?: string; message: string }
  | { op: "distribution"; prefixes: Prefix[]; options: DistributionOptions }
  | { op: "sample"; requests: { prefix: Prefix; options: SampleOptions }[] }
  | { op: "score"; text: string; options: ScoreOptions }
  | { op: "stats" }
  /** Test hook: blocks the worker's thread, standing in for a hung native call. */
  | { op: "stall"; ms: number };

export interface WorkerResults {
  tokenize: Token[];
  chatPrompt: string;
  distribution: Distribution[];
  sample: Sample[];
  score: Score;
  stats: ModelStats[];
  stall: null;
}

/** Counters of the work a model did, for tests and the bench to see caching and batching. */
export interface ModelStats {
  model: string;
  /** session.run calls for next-token requests (a batch counts once). */
  forwardCalls: number;
  /** Sequences those calls computed. */
  sequences: number;
  /** Tokens fed to the model for them; a one-token extension of a cached prefix adds 1. */
  tokensComputed: number;
  /** Requests answered from the cache with no model call. */
  exactHits: number;
  cacheEntries: number;
  cacheBytes: number;
}

export type ParentMessage =
  | { type: "init"; config: WorkerConfig }
  | { type: "request"; id: number; request: WorkerRequest }
  | { type: "ping"; seq: number };

export interface WorkerStatus {
  provider: string | null;
  models: ModelInfo[];
  /** Models that failed to load, with the reason; the others still serve. */
  failures: { model: string; code: InferenceErrorCode; message: string }[];
  loaded: boolean;
}

export type WorkerMessage =
  | { type: "status"; status: WorkerStatus }
  | { type: "log"; level: "info" | "warn" | "error"; msg: string }
  | { type: "response"; id: number; ok: true; result: unknown }
  | { type: "response"; id: number; ok: false; error: { code: InferenceErrorCode; message: string } }
  | { type: "pong"; seq: number };
