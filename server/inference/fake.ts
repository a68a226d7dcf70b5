// A deterministic InferencePort for fast tests of other modules. Its "model" is a bigram table of
// fixed logits over a 20-token vocabulary; softmax, entropy, sampling and scoring use the same
// math as the real worker, so every number is consistent with the fake's own distribution.
import { createHash } from "node:crypto";
import { distributionFrom, sampleFrom, scoreFrom } from "../../contract/inference/port-results.ts";
import {
  InferenceError,
  type Distribution,
  type DistributionOptions,
  type InferenceErrorCode,
  type InferencePort,
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

export const FAKE_VOCAB = [
  "<unk>",
  "<s>",
  "</s>",
  "<|user|>",
  "<|assistant|>",
  " the",
  " cat",
  " dog",
  " sat",
  " on",
  " mat",
  " a",
  " ran",
  " and",
  " big",
  " red",
  " hat",
  " I",
  " know",
  ".",
] as const;

const SPECIAL = new Set([0, 1, 2, 3, 4]);
const BOS = 1;
const UNK = 0;
const CONTEXT_LENGTH = 64;

interface FakeModel {
  info: ModelInfo;
  salt: number;
}

function fakeModel(id: string, name: string, kind: "base" | "instruct", salt: number): FakeModel {
  const sha256 = createHash("sha256").update(`fake:${id}`).digest("hex");
  return {
    info: { id, name, kind, vocabSize: FAKE_VOCAB.length, contextLength: CONTEXT_LENGTH, sha256, hasChatTemplate: kind === "instruct" },
    salt,
  };
}

/** Fixed logits for the token after `previous`: a hash spread over about -4..4, never random. */
export function fakeLogits(previous: number, salt = 0): Float64Array {
  const logits = new Float64Array(FAKE_VOCAB.length);
  for (let next = 0; next < logits.length; next++) {
    let h = Math.imul(previous + 1, 0x9e3779b1) ^ Math.imul(next + 7, 0x85ebca6b) ^ Math.imul(salt + 3, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    logits[next] = ((h >>> 0) / 4294967296) * 8 - 4;
  }
  logits[BOS] = -20; // BOS is never predicted, as in real models.
  return logits;
}

export interface FakeInferenceOptions {
  /** Milliseconds each request waits before answering (default 0). */
  latencyMs?: number;
}

export class FakeInference implements InferencePort {
  private readonly models = new Map<string, FakeModel>([
    ["fake-base", fakeModel("fake-base", "Fake base", "base", 0)],
    ["fake-instruct", fakeModel("fake-instruct", "Fake instruct", "instruct", 1)],
  ]);
  private readonly defaultModel = "fake-base";
  private nextFailure: { code: InferenceErrorCode; message: string } | null = null;
  private closed = false;
  /** How many requests reached the fake, for tests that check caching or batching upstream. */
  calls = 0;

  constructor(private readonly options: FakeInferenceOptions = {}) {}

  /** Makes the next request fail with this code, e.g. "worker_crashed" or "timeout". */
  failNext(code: InferenceErrorCode, message = `fake ${code}`): void {
    this.nextFailure = { code, message };
  }

  status(): InferenceStatus {
    return {
      state: this.closed ? "failed" : "ready",
      provider: "fake",
      models: [...this.models.values()].map((m) => m.info),
      defaultModel: this.defaultModel,
      restarts: 0,
      error: null,
    };
  }

  async tokenize(text: string, options?: { model?: string }): Promise<Token[]> {
    await this.enter();
    this.model(options?.model);
    return this.encode(text).map(token);
  }

  async chatPrompt(message: string, options?: { model?: string }): Promise<string> {
    await this.enter();
    const model = this.model(options?.model);
    return model.info.hasChatTemplate ? `<|user|> ${message.trim()} <|assistant|>` : message;
  }

  async distribution(prefix: Prefix, options: DistributionOptions = {}): Promise<Distribution> {
    const [result] = await this.distributionBatch([prefix], options);
    return result!;
  }

  async distributionBatch(prefixes: Prefix[], options: DistributionOptions = {}): Promise<Distribution[]> {
    checkTemperature(options.temperature);
    checkTopK(options.topK, 0);
    checkTopK(options.bottomK, 0, "bottom-k");
    await this.enter();
    const model = this.model(options.model);
    return prefixes.map((prefix) => {
      const ids = this.prefixIds(model, prefix, options.chat);
      return distributionFrom(model.info.id, ids.map(token), fakeLogits(ids.at(-1)!, model.salt), options, text);
    });
  }

  async sample(prefix: Prefix, options: SampleOptions): Promise<Sample> {
    const [result] = await this.sampleBatch([{ prefix, options }]);
    return result!;
  }

  async sampleBatch(requests: { prefix: Prefix; options: SampleOptions }[]): Promise<Sample[]> {
    for (const { options } of requests) {
      checkTemperature(options.temperature);
      checkTopK(options.topK, 1);
      checkTopP(options.topP);
      checkSeed(options.seed);
    }
    await this.enter();
    return requests.map(({ prefix, options }) => {
      const model = this.model(options.model);
      const ids = this.prefixIds(model, prefix, options.chat);
      return sampleFrom(model.info.id, fakeLogits(ids.at(-1)!, model.salt), options, text);
    });
  }

  async score(textToScore: string, options: ScoreOptions = {}): Promise<Score> {
    checkPrefixNotEmpty(textToScore);
    await this.enter();
    const model = this.model(options.model);
    const promptIds = options.prompt ? this.encode(options.prompt) : [BOS];
    const ids = [...promptIds, ...this.encode(textToScore, false)];
    this.checkLength(model, ids);
    const scored = ids.slice(promptIds.length);
    const rows = scored.map((_, i) => fakeLogits(ids[promptIds.length + i - 1]!, model.salt));
    return scoreFrom(model.info.id, scored.map(token), rows);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async enter(): Promise<void> {
    this.calls += 1;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (this.closed) throw new InferenceError("not_ready", "The fake inference is closed.");
    const failure = this.nextFailure;
    if (failure) {
      this.nextFailure = null;
      throw new InferenceError(failure.code, failure.message);
    }
  }

  private model(id: string | undefined): FakeModel {
    const model = this.models.get(id ?? this.defaultModel);
    if (!model) throw new InferenceError("model_not_found", `There is no model "${id}".`);
    return model;
  }

  /** Words and punctuation map to vocabulary entries (with a leading space, as SentencePiece does). */
  private encode(input: string, bos = true): number[] {
    const ids = bos ? [BOS] : [];
    for (const match of input.matchAll(/<\|[a-z]+\|>|[A-Za-z']+|[^\sA-Za-z']/g)) {
      const piece = match[0].startsWith("<|") || match[0] === "." ? match[0] : ` ${match[0]}`;
      const id = FAKE_VOCAB.indexOf(piece as (typeof FAKE_VOCAB)[number]);
      ids.push(id === -1 ? UNK : id);
    }
    return ids;
  }

  private prefixIds(model: FakeModel, prefix: Prefix, chat = false): number[] {
    checkPrefixNotEmpty(prefix);
    let ids: number[];
    if (typeof prefix === "string") {
      ids = this.encode(chat && model.info.hasChatTemplate ? `<|user|> ${prefix.trim()} <|assistant|>` : prefix);
    } else {
      ids = [...prefix.ids];
      const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= FAKE_VOCAB.length);
      if (bad !== undefined) throw new InferenceError("bad_token_id", `Token id ${bad} is not in the fake vocabulary.`);
    }
    this.checkLength(model, ids);
    return ids;
  }

  private checkLength(model: FakeModel, ids: number[]): void {
    if (ids.length > model.info.contextLength) {
      throw new InferenceError("prompt_too_long", `The prompt is ${ids.length} tokens long; "${model.info.id}" reads at most ${model.info.contextLength}.`);
    }
  }
}

function text(id: number): string {
  return FAKE_VOCAB[id] ?? "<unk>";
}

function token(id: number): Token {
  return { id, text: text(id), special: SPECIAL.has(id) };
}
