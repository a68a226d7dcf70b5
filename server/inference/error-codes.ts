// The inference port's error codes, in the words of the session protocol.
import { InferenceError } from "../../contract/inference/port.ts";
import type { ErrorCode } from "../../contract/protocol/errors.ts";

export function inferenceErrorCode(error: unknown): ErrorCode {
  if (!(error instanceof InferenceError)) return "inference_failed";
  switch (error.code) {
    case "model_not_found":
    case "model_invalid":
      return "model_not_found";
    case "prompt_too_long":
      return "model_prompt_too_long";
    case "empty_prompt":
      return "no_text";
    case "not_ready":
    case "worker_crashed":
    case "timeout":
      return "model_unavailable";
    default:
      return "inference_failed";
  }
}
