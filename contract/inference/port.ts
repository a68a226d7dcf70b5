// The inference port: everything the rest of the server may ask of a language model.
// The real implementation runs the model in a separate process (workers/inference); tests can use
// the fake in ./fake.ts. All probabilities are computed by the model, never invented.

export interface Token {
  id: number;
  /** The token's text as it appears in running text, e.g. " basketball" or "ourne". */
  text: string;
  /** True for control tokens such as <s>; the UI hides them. */
  special: boolean;
}

export interface TokenProb {
  id: number;
  text: string;
  p: number;
}

export interface ModelInfo {
  id: string;
  name: string;
  kind: "base" | "instruct";
  vocabSize: number;
  contextLength: number;
  /** SHA-256 of the ONNX file, so a recorded round names exactly which weights produced it. */
  sha256: string;
  hasChatTemplate: boolean;
}

export type InferenceState = "starting" | "ready" | "restarting" | "failed";

export interface InferenceStatus {
  state: InferenceState;
  /** The execution provider that is running: "cuda", "webgpu" or "cpu". */
  provider: string | null;
  models: ModelInfo[];
  defaultModel: string | null;
  restarts: number;
  error: string | null;
}

/** A prefix is text (tokenized with the model's BOS) or exact token ids (used as given). */
export type Prefix = string | { ids: number[] };

export interface DistributionOptions {
  model?: string;
  /** How many of the most and least likely tokens to return (defaults 20 and 5). */
  topK?: number;
  bottomK?: number;
  /** Softmax temperature applied before everything else (default 1). */
  temperature?: number;
  /** Wrap a text prefix in the model's chat template as a user message first. */
  chat?: boolean;
  /** Also return the probability of every vocabulary token. */
  includeProbs?: boolean;
}

export interface Distribution {
  model: string;
  /** The tokens the model was conditioned on. */
  prefix: Token[];
  top: TokenProb[];
  bottom: TokenProb[];
  entropyBits: number;
  /** Probability mass outside `top`. */
  restMass: number;
  vocabSize: number;
  /** Every token's probability, by id (a typed array: it crosses the worker channel as one copy). */
  probs?: Float64Array;
}

export interface SampleOptions {
  model?: string;
  temperature: number;
  topK?: number;
  topP?: number;
  seed: number;
  chat?: boolean;
}

export interface Sample {
  model: string;
  seed: number;
  token: TokenProb;
  /** The hat that was drawn from: 10,000 slips after temperature, top-k and top-p (the hat game's). */
  hat: {
    /** Its most likely tokens (up to 20), with p their probability in the shaped hat. */
    tokens: TokenProb[];
    /** Mass of the original distribution removed by top-k and top-p. */
    cutMass: number;
    entropyBits: number;
  };
}

export interface ScoredToken extends Token {
  /** Probability the model gave this token, given everything before it. */
  p: number;
  surprisalBits: number;
  /** Entropy of the distribution this token was drawn from. */
  entropyBits: number;
}

export interface Score {
  model: string;
  tokens: ScoredToken[];
  /** Sum of log2 p over the scored tokens (the chain rule). */
  log2Prob: number;
  perplexity: number;
}

export interface ScoreOptions {
  model?: string;
  /** Text the scored text continues from; its own tokens are not scored. */
  prompt?: string;
}

export interface InferencePort {
  status(): InferenceStatus;
  tokenize(text: string, options?: { model?: string }): Promise<Token[]>;
  /** Wraps a user message in the model's chat template (unchanged when it has none). */
  chatPrompt(message: string, options?: { model?: string }): Promise<string>;
  distribution(prefix: Prefix, options?: DistributionOptions): Promise<Distribution>;
  distributionBatch(prefixes: Prefix[], options?: DistributionOptions): Promise<Distribution[]>;
  sample(prefix: Prefix, options: SampleOptions): Promise<Sample>;
  sampleBatch(requests: { prefix: Prefix; options: SampleOptions }[]): Promise<Sample[]>;
  score(text: string, options?: ScoreOptions): Promise<Score>;
  close(): Promise<void>;
}

/** Errors the port reports, with stable codes the UI can turn into text. */
export type InferenceErrorCode =
  | "model_not_found"
  | "model_invalid"
  | "empty_prompt"
  | "prompt_too_long"
  | "bad_temperature"
  | "bad_top_p"
  | "bad_top_k"
  | "bad_token_id"
  | "timeout"
  | "worker_crashed"
  | "not_ready";

export class InferenceError extends Error {
  constructor(
    readonly code: InferenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "InferenceError";
  }
}
