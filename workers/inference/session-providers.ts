// Creates an onnxruntime session on the first execution provider that works, in the order asked.
import * as ort from "onnxruntime-node";

export type WorkerLog = (level: "info" | "warn" | "error", msg: string) => void;

/**
 * Options every session gets. Spin-waiting thread pools are off: the model shares the machine
 * with the web server (and on a laptop with everything else), and spinning threads would take
 * the CPU time the server needs to answer phones. The bench uses the same options for its floor.
 */
export const BASE_SESSION_OPTIONS = {
  graphOptimizationLevel: "all",
  logSeverityLevel: 3,
  extra: { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } },
} satisfies ort.InferenceSession.SessionOptions;

const unavailable = new Set<string>();

export async function createSession(
  modelPath: string,
  providers: readonly string[],
  log: WorkerLog,
): Promise<{ session: ort.InferenceSession; provider: string }> {
  const errors: string[] = [];
  for (const provider of providers) {
    if (unavailable.has(provider)) continue;
    try {
      const session = await ort.InferenceSession.create(modelPath, { ...BASE_SESSION_OPTIONS, executionProviders: [provider] });
      return { session, provider };
    } catch (error) {
      const reason = firstLine(error);
      errors.push(`${provider}: ${reason}`);
      // A provider that cannot start (no library, no adapter) is skipped for later models too;
      // CPU failing means the file itself is bad, which is reported to the caller.
      if (provider !== "cpu" && isProviderUnavailable(reason)) {
        unavailable.add(provider);
        log("warn", `Execution provider ${provider} is not available here (${reason.slice(0, 160)}); trying the next one.`);
      } else if (provider !== "cpu") {
        log("warn", `Execution provider ${provider} could not load ${modelPath} (${reason.slice(0, 160)}); trying the next one.`);
      }
    }
  }
  throw new Error(errors.length > 0 ? errors.join("; ") : `none of the providers ${providers.join(", ")} is available`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]?.trim() ?? text;
}

function isProviderUnavailable(reason: string): boolean {
  return /shared library|adapter|not supported|not available|backend|Failed to load|Vulkan|CUDA/i.test(reason);
}
