// Creates an onnxruntime session on the first execution provider that works, in the order asked.
import * as ort from "onnxruntime-node";

export type WorkerLog = (level: "info" | "warn" | "error", msg: string) => void;

/**
 * Options every session gets. Spin-waiting thread pools are off: the model shares the machine
 * with the web server (and on a laptop with everything else), and spinning threads would take
 * the CPU time the server needs to answer phones. `threads` is INFERENCE_THREADS. The bench uses
 * the same options for its floor.
 */
export function sessionOptions(threads: number) {
  return {
    graphOptimizationLevel: "all",
    logSeverityLevel: 3,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } },
  } satisfies ort.InferenceSession.SessionOptions;
}

const unavailable = new Set<string>();

export async function createSession(
  modelPath: string,
  providers: readonly string[],
  log: WorkerLog,
  threads: number,
): Promise<{ session: ort.InferenceSession; provider: string }> {
  const skipped: string[] = [];
  let lastError = "";
  for (const provider of providers) {
    if (unavailable.has(provider)) continue;
    try {
      const session = await ort.InferenceSession.create(modelPath, { ...sessionOptions(threads), executionProviders: [provider] });
      // One line for the whole fallback, e.g. a laptop without CUDA or a GPU adapter.
      if (skipped.length > 0) log("warn", `Using execution provider ${provider}; ${skipped.join("; ")}.`);
      return { session, provider };
    } catch (error) {
      const reason = firstLine(error);
      lastError = `${provider}: ${reason}`;
      if (provider === "cpu") continue; // CPU failing means the file itself is bad: the caller reports it.
      skipped.push(`${provider} is not available (${reason.slice(0, 120)})`);
      // A provider that cannot start at all is not tried again for the next models.
      if (isProviderUnavailable(reason)) unavailable.add(provider);
    }
  }
  throw new Error(lastError || `none of the providers ${providers.join(", ")} is available`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split("\n")[0]?.trim() ?? text;
  // Native messages start with a source path ("/onnxruntime_src/...cc:136 ..."); the rest says why.
  return line.replace(/^\/\S+:\d+\s+/, "");
}

function isProviderUnavailable(reason: string): boolean {
  return /shared library|adapter|not supported|not available|backend|Failed to load|Vulkan|CUDA/i.test(reason);
}
