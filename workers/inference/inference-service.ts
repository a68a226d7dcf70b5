// The worker's answers to each request: model lookup, validation, and the numbers built from logits.
import { distributionFrom, sampleFrom, scoreFrom } from "../../contract/inference/port-results.ts";
import {
  InferenceError,
  type Distribution,
  type DistributionOptions,
  type InferenceErrorCode,
  type Prefix,
  type Sample,
  type SampleOptions,
  type Score,
  type ScoreOptions,
  type Token,
} from "../../contract/inference/port.ts";
import { checkSeed, checkTemperature, checkTopK, checkTopP } from "../../contract/inference/request-validation.ts";
import type { ModelEntry, ModelStats, WorkerConfig, WorkerStatus } from "../../contract/inference/worker-protocol.ts";
import { BatchingQueue } from "./batching-queue.ts";
import { LoadedModel } from "./loaded-model.ts";
import type { WorkerLog } from "./session-providers.ts";

export class InferenceService {
  private readonly models = new Map<string, LoadedModel>();
  private readonly failures = new Map<string, { code: InferenceErrorCode; message: string }>();
  private readonly queue: BatchingQueue;
  private loaded = false;

  constructor(
    private readonly config: WorkerConfig,
    private readonly log: WorkerLog,
  ) {
    this.queue = new BatchingQueue(config.batchWindowMs);
  }

  /** Loads every registered model, default first; a model that fails is reported, not fatal. */
  async loadAll(onProgress: (status: WorkerStatus) => void): Promise<void> {
    const ordered = [...this.config.models].sort((a, b) => Number(b.id === this.config.defaultModel) - Number(a.id === this.config.defaultModel));
    for (const entry of ordered) {
      await this.loadOne(entry);
      onProgress(this.status());
    }
    this.loaded = true;
    onProgress(this.status());
  }

  private async loadOne(entry: ModelEntry): Promise<void> {
    const started = Date.now();
    try {
      const model = await LoadedModel.load(entry, {
        providers: this.config.providers,
        // The budget is for the whole process, shared evenly by the models.
        kvCacheBytes: Math.floor(this.config.kvCacheBytes / Math.max(1, this.config.models.length)),
        maxBatch: this.config.maxBatch,
        threads: this.config.threads,
        log: this.log,
      });
      this.models.set(entry.id, model);
      this.log("info", `Loaded model ${entry.id} on ${model.provider} in ${Date.now() - started} ms (vocabulary ${model.info.vocabSize}).`);
    } catch (error) {
      const code = error instanceof InferenceError ? error.code : "model_invalid";
      const message = error instanceof Error ? error.message : String(error);
      this.failures.set(entry.id, { code, message });
      this.log("error", message);
    }
  }

  status(): WorkerStatus {
    const models = [...this.models.values()];
    const preferred = this.models.get(this.config.defaultModel) ?? models[0];
    return {
      provider: preferred?.provider ?? null,
      models: this.config.models.flatMap((m) => {
        const loaded = this.models.get(m.id);
        return loaded ? [loaded.info] : [];
      }),
      failures: [...this.failures].map(([model, f]) => ({ model, ...f })),
      loaded: this.loaded,
    };
  }

  model(id: string | undefined): LoadedModel {
    const wanted = id ?? this.config.defaultModel;
    const model = this.models.get(wanted);
    if (model) return model;
    const failure = this.failures.get(wanted);
    if (failure) throw new InferenceError(failure.code, failure.message);
    throw new InferenceError("model_not_found", `There is no model "${wanted}"; the registry has ${this.config.models.map((m) => m.id).join(", ") || "none"}.`);
  }

  stats(): ModelStats[] {
    return [...this.models.values()].map((m) => m.stats());
  }

  tokenize(text: string, modelId?: string): Token[] {
    const model = this.model(modelId);
    return model.tokenizer.encode(text).map((id) => model.tokenizer.token(id));
  }

  chatPrompt(message: string, modelId?: string): string {
    return this.model(modelId).tokenizer.chatPrompt(message);
  }

  async distributions(prefixes: Prefix[], options: DistributionOptions): Promise<Distribution[]> {
    checkTemperature(options.temperature);
    checkTopK(options.topK, 0);
    checkTopK(options.bottomK, 0, "bottom-k");
    const model = this.model(options.model);
    const sequences = prefixes.map((p) => model.prefixIds(p, options.chat));
    const logits = await this.queue.nextTokenLogits(model, sequences);
    return logits.map((row, i) =>
      distributionFrom(model.info.id, sequences[i]!.map((id) => model.tokenizer.token(id)), row, options, (id) => model.tokenizer.tokenText(id)),
    );
  }

  async samples(requests: { prefix: Prefix; options: SampleOptions }[]): Promise<Sample[]> {
    const prepared = requests.map(({ prefix, options }) => {
      checkTemperature(options.temperature);
      checkTopK(options.topK, 1);
      checkTopP(options.topP);
      checkSeed(options.seed);
      const model = this.model(options.model);
      return { model, ids: model.prefixIds(prefix, options.chat), options };
    });
    const byModel = new Map<LoadedModel, number[]>();
    prepared.forEach((p, i) => byModel.set(p.model, [...(byModel.get(p.model) ?? []), i]));
    const logits: Float32Array[] = [];
    await Promise.all(
      [...byModel].map(async ([model, indices]) => {
        const rows = await this.queue.nextTokenLogits(model, indices.map((i) => prepared[i]!.ids));
        indices.forEach((index, j) => (logits[index] = rows[j]!));
      }),
    );
    return prepared.map(({ model, options }, i) => sampleFrom(model.info.id, logits[i]!, options, (id) => model.tokenizer.tokenText(id)));
  }

  async score(text: string, options: ScoreOptions): Promise<Score> {
    const model = this.model(options.model);
    const tokenizer = model.tokenizer;
    if (text.trim() === "") throw new InferenceError("empty_prompt", "There is no text to score.");
    let ids: number[];
    let start: number;
    if (options.prompt !== undefined && options.prompt !== "") {
      const promptIds = tokenizer.encode(options.prompt);
      const joined = tokenizer.encode(options.prompt + text);
      // Tokens can merge across the seam; then the text is tokenized on its own after the prompt.
      const clean = joined.length > promptIds.length && promptIds.every((id, i) => joined[i] === id);
      ids = clean ? joined : [...promptIds, ...tokenizer.encode(text, false)];
      start = promptIds.length;
    } else {
      ids = tokenizer.encode(text);
      // The first token needs something to be predicted from: the BOS the tokenizer or the model defines.
      if (tokenizer.bosId !== null && ids[0] !== tokenizer.bosId) ids.unshift(tokenizer.bosId);
      start = 1;
    }
    if (start >= ids.length) throw new InferenceError("empty_prompt", "There is no text to score.");
    model.prefixIds({ ids });
    const rows = await this.queue.exclusive(() => model.allLogits(ids));
    const scored = ids.slice(start).map((id) => tokenizer.token(id));
    return scoreFrom(model.info.id, scored, rows.slice(start - 1, ids.length - 1));
  }
}
