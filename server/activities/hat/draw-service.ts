// Everything the hat asks of the model, batched: the hats of many students in one distribution call,
// and their draws (a blank can take several tokens) a step at a time for all of them together.
// Prefixes go to the model as token ids that extend the previous blank's, so the worker's KV prefix
// cache only computes the new tokens.
import type { Dial, FillStop } from "../../../contract/protocol/hat.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { drawSlip, hatSource, type HatSource } from "../../../contract/numbers/hat/hat-shape.ts";
import type { DrawnToken, FillState, HatSummary } from "./hat-state.ts";
import { slipStream } from "../../../contract/numbers/hat/seeded-draw.ts";
import { HAT_SLIPS } from "../../../contract/numbers/hat/slip-counts.ts";
import { isNonWord, startsNewWord } from "./word-boundary.ts";

/** Token texts of a whole vocabulary, and which of them can never fill a blank. */
export interface Vocabulary {
  model: string;
  texts: string[];
  nonWord: Uint8Array;
}

export interface DrawRequest {
  /** The story so far, as token ids (the first segment starts with BOS). */
  prefixIds: number[];
  /** The hat for the blank's first token, when already computed (it is what the phone showed). */
  source?: HatSource;
  seed: number;
  dial: Dial;
  maxTokens: number;
  blank: number;
  now: number;
}

export const HAT_SUMMARY_TOP = 20;

export interface DrawServiceOptions {
  model: string;
  /** false sends one model request per student and step: the bench's baseline. */
  batched?: boolean;
}

export class HatDrawService {
  private vocabulary: Vocabulary | null = null;
  private readonly batched: boolean;
  /** Model calls made, for tests and the bench that check batching. */
  calls = 0;

  constructor(
    private readonly inference: InferencePort,
    private readonly options: DrawServiceOptions,
  ) {
    this.batched = options.batched ?? true;
  }

  get model(): string {
    return this.options.model;
  }

  /** Token texts by id; empty until the vocabulary has been read. */
  get vocabularyTexts(): readonly string[] {
    return this.vocabulary?.texts ?? [];
  }

  /** Entropy (bits, temperature 1) and top tokens after each prefix: one batched call. */
  async firstEntropies(prefixes: number[][]): Promise<{ bits: number; top: { text: string; p: number }[] }[]> {
    this.calls++;
    const results = await this.inference.distributionBatch(
      prefixes.map((ids) => ({ ids })),
      { model: this.options.model, topK: 5, bottomK: 0 },
    );
    return results.map((d) => ({ bits: d.entropyBits, top: d.top.map((t) => ({ text: t.text, p: t.p })) }));
  }

  /** Every token's text, read once per model from a distribution listing the whole vocabulary. */
  async vocab(anyPrefix: number[]): Promise<Vocabulary> {
    if (this.vocabulary) return this.vocabulary;
    const info = this.inference.status().models.find((m) => m.id === this.options.model);
    const size = info?.vocabSize ?? 65_536;
    this.calls++;
    const d = await this.inference.distribution({ ids: anyPrefix }, { model: this.options.model, topK: size, bottomK: 0 });
    const texts = new Array<string>(d.vocabSize).fill("");
    for (const t of d.top) texts[t.id] = t.text;
    const nonWord = Uint8Array.from(texts, (text) => (isNonWord(text) ? 1 : 0));
    this.vocabulary = { model: this.options.model, texts, nonWord };
    return this.vocabulary;
  }

  /**
   * Token ids of a template's literal segments. The first is tokenized as a prompt (with BOS). Later
   * ones follow a drawn word, so they are tokenized after a stand-in word and cut off from it: that
   * keeps "." from becoming " ." as it would at the start of a text.
   */
  async segmentIds(segments: readonly string[]): Promise<number[][]> {
    const model = { model: this.options.model };
    const [first, ...rest] = segments;
    const out: number[][] = [(await this.inference.tokenize(first ?? "", model)).map((t) => t.id)];
    const reference = (await this.inference.tokenize("a", model)).map((t) => t.id);
    for (const segment of rest) {
      if (segment === "") {
        out.push([]);
        continue;
      }
      const joined = (await this.inference.tokenize(`a${segment}`, model)).map((t) => t.id);
      const clean = joined.length > reference.length && reference.every((id, i) => joined[i] === id);
      if (clean) out.push(joined.slice(reference.length));
      else {
        const alone = await this.inference.tokenize(segment, model);
        out.push(alone.filter((t, i) => !(i === 0 && t.special)).map((t) => t.id));
      }
    }
    return out;
  }

  /** The hats (before the dial) of many stories: one batched model call. */
  async sources(prefixes: number[][]): Promise<HatSource[]> {
    if (prefixes.length === 0) return [];
    // Stories that are the same so far share one hat (at the first blank, the whole class does).
    const unique = new Map<string, number>();
    const slot = prefixes.map((ids) => {
      const key = ids.join(",");
      let at = unique.get(key);
      if (at === undefined) unique.set(key, (at = unique.size));
      return at;
    });
    if (unique.size < prefixes.length) {
      const distinct: number[][] = [];
      prefixes.forEach((ids, i) => (distinct[slot[i]!] ??= ids));
      const computed = await this.sources(distinct);
      return slot.map((at) => computed[at]!);
    }
    const vocab = await this.vocab(prefixes[0]!);
    const options = { model: this.options.model, topK: 0, bottomK: 0, includeProbs: true };
    let results;
    if (this.batched) {
      this.calls++;
      results = await this.inference.distributionBatch(
        prefixes.map((ids) => ({ ids })),
        options,
      );
    } else {
      results = [];
      for (const ids of prefixes) {
        this.calls++;
        results.push(await this.inference.distribution({ ids }, options));
      }
    }
    return results.map((d) => hatSource(d.probs!, (id) => vocab.nonWord[id] === 1, d.entropyBits));
  }

  /**
   * Draws a fill for each request. The seed's slip stream picks the first token from the hat, then
   * further tokens while they continue the word (no leading space, no punctuation), up to maxTokens.
   * A token that would start a new word ends the blank and is not used. All requests advance in
   * step, so each step is one batched model call.
   */
  async drawFills(requests: DrawRequest[]): Promise<FillState[]> {
    if (requests.length === 0) return [];
    const vocab = await this.vocab(requests[0]!.prefixIds);
    const missing = requests.flatMap((r, i) => (r.source ? [] : [i]));
    const fresh = await this.sources(missing.map((i) => requests[i]!.prefixIds));
    const firstSources = requests.map((r) => r.source);
    missing.forEach((i, j) => (firstSources[i] = fresh[j]));

    interface Work {
      request: DrawRequest;
      next: () => number;
      tokens: DrawnToken[];
      hat: HatSummary;
      stop: FillStop | null;
    }
    const work: Work[] = requests.map((request, i) => {
      const source = firstSources[i]!;
      const next = slipStream(request.seed);
      const slipIndex = next();
      const drawn = drawSlip(source, request.dial, slipIndex, HAT_SUMMARY_TOP);
      const token: DrawnToken = { id: drawn.slip.id, text: vocab.texts[drawn.slip.id] ?? "", p: drawn.slip.p, count: drawn.slip.count, slip: slipIndex };
      const listed = drawn.top.reduce((acc, s) => acc + s.count, 0);
      const hat: HatSummary = {
        top: drawn.top.map((s) => ({ id: s.id, text: vocab.texts[s.id] ?? "", count: s.count })),
        otherCount: HAT_SLIPS - listed,
        cutMass: drawn.cutMass,
        modelEntropyBits: source.entropyBits,
      };
      return { request, next, tokens: [token], hat, stop: request.maxTokens <= 1 ? "max_tokens" : null };
    });

    // Later tokens of each word: one batched step for every fill still growing.
    for (;;) {
      const growing = work.filter((w) => w.stop === null);
      if (growing.length === 0) break;
      const sources = await this.sources(growing.map((w) => [...w.request.prefixIds, ...w.tokens.map((t) => t.id)]));
      growing.forEach((w, j) => {
        const slipIndex = w.next();
        const { slip } = drawSlip(sources[j]!, w.request.dial, slipIndex);
        const text = vocab.texts[slip.id] ?? "";
        // A blank that so far holds only a space (" " before digits) takes the next token whatever it is.
        const onlySpace = w.tokens.every((t) => t.text.trim() === "");
        if (startsNewWord(text) && !onlySpace) {
          w.stop = "word_end";
          return;
        }
        w.tokens.push({ id: slip.id, text, p: slip.p, count: slip.count, slip: slipIndex });
        if (w.tokens.length >= w.request.maxTokens) w.stop = "max_tokens";
      });
    }

    return work.map((w) => ({
      blank: w.request.blank,
      // Tokens as drawn; a space token followed by a spaced word reads as one space.
      text: w.tokens
        .map((t) => t.text)
        .join("")
        .replace(/^\s{2,}/, " "),
      tokens: w.tokens,
      seed: w.request.seed,
      dial: w.request.dial,
      stop: w.stop ?? "word_end",
      hat: w.hat,
      drawnAt: w.request.now,
    }));
  }
}
