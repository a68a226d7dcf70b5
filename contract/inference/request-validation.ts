// Checks on request options that do not need the model; the client and the fake share them.
import { InferenceError } from "./port.ts";
import { MAX_SEED } from "../numbers/hat/seeded-draw.ts";

export function checkTemperature(temperature: number | undefined): void {
  if (temperature === undefined) return;
  if (!Number.isFinite(temperature) || temperature <= 0) {
    throw new InferenceError("bad_temperature", `Temperature must be a number above 0 (got ${String(temperature)}).`);
  }
}

export function checkTopP(topP: number | undefined): void {
  if (topP === undefined) return;
  if (!Number.isFinite(topP) || topP <= 0 || topP > 1) {
    throw new InferenceError("bad_top_p", `top-p must be above 0 and at most 1 (got ${String(topP)}).`);
  }
}

/** `min` is 1 for sampling (an empty hat cannot be drawn from) and 0 for listing tokens. */
export function checkTopK(topK: number | undefined, min: 0 | 1, name = "top-k"): void {
  if (topK === undefined) return;
  if (!Number.isInteger(topK) || topK < min) {
    throw new InferenceError("bad_top_k", `${name} must be a whole number of at least ${min} (got ${String(topK)}).`);
  }
}

/** Seeds come from server code, not from people, so a bad one is a bug. */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`The seed must be a whole number in 0..${MAX_SEED} (got ${String(seed)}).`);
}

export function checkPrefixNotEmpty(prefix: string | { ids: number[] }): void {
  const empty = typeof prefix === "string" ? prefix.trim() === "" : prefix.ids.length === 0;
  if (empty) throw new InferenceError("empty_prompt", "The prompt is empty: type at least one word.");
}
