// Builds the server's InferencePort from the registry file and settings.
import { InferenceError, type InferencePort, type InferenceStatus } from "../../contract/inference/port.ts";
import { loadRegistry, RegistryError } from "../../contract/inference/model-registry.ts";
import { WorkerInference, type InferenceLogger, type WorkerClientOptions } from "./worker-client.ts";

export type { InferenceLogger } from "./worker-client.ts";

export interface CreateInferenceOptions {
  /** MODEL_REGISTRY: a JSON file listing the models. */
  registryPath: string;
  /** INFERENCE_PROVIDERS, in order of preference, e.g. ["cuda", "webgpu", "cpu"]. */
  providers: string[];
  /** INFERENCE_TIMEOUT_MS: the deadline of every request. */
  timeoutMs: number;
  logger: InferenceLogger;
  /** Bytes of KV state kept for recent prefixes (default 256 MiB). */
  kvCacheBytes?: number;
  /** INFERENCE_THREADS: CPU threads per model session. */
  threads?: number;
  tuning?: Pick<WorkerClientOptions, "batchWindowMs" | "maxBatch" | "heartbeatMs" | "hangMs" | "testHooks">;
}

export function createInference(options: CreateInferenceOptions): InferencePort {
  try {
    const registry = loadRegistry(options.registryPath);
    return new WorkerInference({
      models: registry.models,
      defaultModel: registry.defaultModel,
      providers: options.providers,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
      ...(options.kvCacheBytes !== undefined ? { kvCacheBytes: options.kvCacheBytes } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...options.tuning,
    });
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    options.logger.error({ registry: options.registryPath }, error.message);
    return new UnavailableInference(error.message);
  }
}

/** Stands in when there is no usable registry: the server runs, status says why, requests fail clearly. */
export class UnavailableInference implements InferencePort {
  constructor(private readonly reason: string) {}

  status(): InferenceStatus {
    return { state: "failed", provider: null, models: [], defaultModel: null, restarts: 0, error: this.reason };
  }

  private fail(): Promise<never> {
    return Promise.reject(new InferenceError("not_ready", this.reason));
  }

  tokenize = () => this.fail();
  chatPrompt = () => this.fail();
  distribution = () => this.fail();
  distributionBatch = () => this.fail();
  sample = () => this.fail();
  sampleBatch = () => this.fail();
  score = () => this.fail();
  close = () => Promise.resolve();
}
