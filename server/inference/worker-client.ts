// The InferencePort the server uses: it forwards requests to the model process, restarts that
// process when it crashes or stops answering, and gives every request a deadline.
import { fork, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  InferenceError,
  type Distribution,
  type DistributionOptions,
  type InferencePort,
  type InferenceState,
  type InferenceStatus,
  type ModelInfo,
  type Prefix,
  type Sample,
  type SampleOptions,
  type Score,
  type ScoreOptions,
  type Token,
} from "../../contract/inference/port.ts";
import { checkPrefixNotEmpty, checkSeed, checkTemperature, checkTopK, checkTopP } from "../../contract/inference/request-validation.ts";
import { defaultInferenceThreads, type ModelEntry, type ParentMessage, type WorkerMessage, type WorkerRequest, type WorkerResults, type WorkerStatus } from "../../contract/inference/worker-protocol.ts";

export interface InferenceLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface WorkerClientOptions {
  models: ModelEntry[];
  defaultModel: string;
  providers: string[];
  timeoutMs: number;
  logger: InferenceLogger;
  /** Bytes of KV state kept for recent prefixes, shared by all models (default 256 MiB). */
  kvCacheBytes?: number;
  /** How long the worker waits for more requests to batch with the first one. */
  batchWindowMs?: number;
  maxBatch?: number;
  /** CPU threads per model session (default: all cores but one, which stays with the web server). */
  threads?: number;
  heartbeatMs?: number;
  /** No answer to pings for this long counts as a hang: the process is killed and restarted. */
  hangMs?: number;
  /** Enables the stall request used by tests to imitate a hung native call. */
  testHooks?: boolean;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const workerEntry = path.join(repoRoot, "workers/inference/worker-main.ts");

interface Pending {
  request: WorkerRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
  sent: boolean;
}

export class WorkerInference implements InferencePort {
  private child: ChildProcess | null = null;
  private state: InferenceState = "starting";
  private provider: string | null = null;
  private models: ModelInfo[] = [];
  private restarts = 0;
  private crashesInARow = 0;
  private lastError: string | null = null;
  private closing = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private heartbeat: NodeJS.Timeout | null = null;
  private respawnTimer: NodeJS.Timeout | null = null;
  private lastPong = Date.now();
  private pingSeq = 0;
  private stderrTail: string[] = [];
  private killedForHang = false;
  /** Hang detection starts once models are loaded: loading a big model may block for a while. */
  private workerLoaded = false;
  private readonly options: Required<Omit<WorkerClientOptions, "logger">> & { logger: InferenceLogger };

  constructor(options: WorkerClientOptions) {
    this.options = {
      kvCacheBytes: 256 * 1024 * 1024,
      batchWindowMs: 0,
      maxBatch: 64,
      threads: defaultInferenceThreads(),
      heartbeatMs: 2_000,
      hangMs: Math.max(options.timeoutMs + 5_000, 10_000),
      testHooks: false,
      ...options,
    };
    this.spawn();
  }

  status(): InferenceStatus {
    return {
      state: this.state,
      provider: this.provider,
      models: this.models,
      defaultModel: this.options.defaultModel,
      restarts: this.restarts,
      error: this.lastError,
    };
  }

  /** The model process id, for tests that kill it. */
  get workerPid(): number | null {
    return this.child?.pid ?? null;
  }

  tokenize(text: string, options?: { model?: string }): Promise<Token[]> {
    return this.call({ op: "tokenize", text, model: options?.model });
  }

  chatPrompt(message: string, options?: { model?: string }): Promise<string> {
    return this.call({ op: "chatPrompt", message, model: options?.model });
  }

  async distribution(prefix: Prefix, options: DistributionOptions = {}): Promise<Distribution> {
    const [result] = await this.distributionBatch([prefix], options);
    return result!;
  }

  async distributionBatch(prefixes: Prefix[], options: DistributionOptions = {}): Promise<Distribution[]> {
    checkTemperature(options.temperature);
    checkTopK(options.topK, 0);
    checkTopK(options.bottomK, 0, "bottom-k");
    prefixes.forEach(checkPrefixNotEmpty);
    if (prefixes.length === 0) return [];
    return this.call({ op: "distribution", prefixes, options });
  }

  async sample(prefix: Prefix, options: SampleOptions): Promise<Sample> {
    const [result] = await this.sampleBatch([{ prefix, options }]);
    return result!;
  }

  async sampleBatch(requests: { prefix: Prefix; options: SampleOptions }[]): Promise<Sample[]> {
    for (const { prefix, options } of requests) {
      checkTemperature(options.temperature);
      checkTopK(options.topK, 1);
      checkTopP(options.topP);
      checkSeed(options.seed);
      checkPrefixNotEmpty(prefix);
    }
    if (requests.length === 0) return [];
    return this.call({ op: "sample", requests });
  }

  async score(text: string, options: ScoreOptions = {}): Promise<Score> {
    checkPrefixNotEmpty(text);
    return this.call({ op: "score", text, options });
  }

  /** Work counters per model (forward calls, tokens computed, cache use). */
  stats(): Promise<WorkerResults["stats"]> {
    return this.call({ op: "stats" });
  }

  /** Test hook: blocks the model process for `ms`, as a hung native call would. */
  debugStall(ms: number): Promise<null> {
    return this.call({ op: "stall", ms });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.failAll("not_ready", "The inference service is shutting down.", true);
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 2_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      if (child.connected) child.disconnect();
      else child.kill("SIGKILL");
    });
  }

  private call<K extends WorkerRequest["op"]>(request: Extract<WorkerRequest, { op: K }>): Promise<WorkerResults[K]> {
    if (this.closing) return Promise.reject(new InferenceError("not_ready", "The inference service is closed."));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new InferenceError("timeout", `The model did not answer within ${this.options.timeoutMs} ms.`));
      }, this.options.timeoutMs);
      this.pending.set(id, { request, resolve: resolve as (v: unknown) => void, reject, timer, sent: false });
      this.flush();
    });
  }

  /** Sends queued requests once the worker has loaded its models. */
  private flush(): void {
    if (this.state !== "ready" && this.state !== "failed") return;
    const child = this.child;
    if (!child?.connected) return;
    for (const [id, pending] of this.pending) {
      if (pending.sent) continue;
      pending.sent = true;
      this.send(child, { type: "request", id, request: pending.request });
    }
  }

  private send(child: ChildProcess, message: ParentMessage): void {
    try {
      child.send(message);
    } catch {
      // The exit handler deals with a channel that closed under us.
    }
  }

  private spawn(): void {
    this.state = this.restarts > 0 ? "restarting" : "starting";
    this.stderrTail = [];
    this.workerLoaded = false;
    const child = fork(workerEntry, [], {
      cwd: repoRoot,
      execArgv: ["--import", "tsx"],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child = child;
    // The worker must not keep the server alive on its own: pending requests hold their own timers.
    child.unref();
    child.channel?.unref();
    (child.stderr as Socket | null)?.unref();
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      // Native libraries write here (e.g. a GPU backend probing for drivers); kept for crash reports.
      this.stderrTail = [...this.stderrTail, ...chunk.split("\n").filter((l) => l.trim() !== "")].slice(-20);
    });
    child.on("message", (message: WorkerMessage) => this.onMessage(child, message));
    child.on("error", (error) => {
      this.lastError = `The model process failed to start: ${error.message}`;
      this.options.logger.error({ err: error }, "inference worker error");
    });
    child.on("exit", (code, signal) => this.onExit(child, code, signal));
    this.lastPong = Date.now();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.checkHeartbeat(child), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.send(child, {
      type: "init",
      config: {
        models: this.options.models,
        defaultModel: this.options.defaultModel,
        providers: this.options.providers,
        kvCacheBytes: this.options.kvCacheBytes,
        batchWindowMs: this.options.batchWindowMs,
        maxBatch: this.options.maxBatch,
        threads: this.options.threads,
        testHooks: this.options.testHooks,
      },
    });
  }

  private checkHeartbeat(child: ChildProcess): void {
    if (child !== this.child) return;
    if (!this.workerLoaded) this.lastPong = Date.now();
    else if (Date.now() - this.lastPong > this.options.hangMs) {
      this.killedForHang = true;
      child.kill("SIGKILL");
      return;
    }
    this.send(child, { type: "ping", seq: ++this.pingSeq });
  }

  private onMessage(child: ChildProcess, message: WorkerMessage): void {
    if (child !== this.child) return;
    this.lastPong = Date.now();
    switch (message.type) {
      case "pong":
        return;
      case "log":
        this.options.logger[message.level]({ worker: child.pid }, message.msg);
        return;
      case "status":
        this.applyStatus(message.status);
        return;
      case "response": {
        const pending = this.pending.get(message.id);
        if (!pending) return; // Timed out already.
        this.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.result);
        else pending.reject(new InferenceError(message.error.code, message.error.message));
        return;
      }
    }
  }

  private applyStatus(status: WorkerStatus): void {
    this.provider = status.provider;
    this.models = status.models;
    const failures = status.failures.map((f) => f.message).join(" ");
    if (!status.loaded) return;
    this.workerLoaded = true;
    this.lastPong = Date.now();
    this.crashesInARow = 0;
    if (status.models.length === 0) {
      this.state = "failed";
      this.lastError = failures || "No model could be loaded.";
    } else {
      this.state = "ready";
      if (failures) this.lastError = failures;
      this.options.logger.info(
        { provider: status.provider, models: status.models.map((m) => m.id) },
        `Inference ready on ${status.provider ?? "no provider"}`,
      );
    }
    this.flush();
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.closing) return;
    const tail = this.stderrTail.slice(-3).join(" | ");
    this.lastError = this.killedForHang
      ? `The model process stopped answering for ${this.options.hangMs} ms and was restarted.`
      : `The model process exited (${signal ?? `code ${String(code)}`})${tail ? `: ${tail}` : ""}`;
    this.killedForHang = false;
    this.options.logger.error({ code, signal }, this.lastError);
    this.failAll("worker_crashed", "The model process crashed while working on this request; it is being restarted.", false);
    this.restarts += 1;
    this.crashesInARow += 1;
    this.state = "restarting";
    const delay = Math.min(10_000, 250 * 2 ** (this.crashesInARow - 1));
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = null;
      if (!this.closing) this.spawn();
    }, delay);
  }

  /** Rejects requests the worker had; unsent ones wait for the restarted worker unless `all`. */
  private failAll(code: "worker_crashed" | "not_ready", message: string, all: boolean): void {
    for (const [id, pending] of this.pending) {
      if (!pending.sent && !all) continue;
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new InferenceError(code, message));
    }
  }
}
