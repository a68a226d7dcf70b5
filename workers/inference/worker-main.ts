// Entry point of the model process, forked by server/inference/worker-client.ts. It answers
// requests over the IPC channel; a crash here leaves the server running.
import { InferenceError } from "../../contract/inference/port.ts";
import type { ParentMessage, WorkerMessage, WorkerRequest } from "../../contract/inference/worker-protocol.ts";
import { InferenceService } from "./inference-service.ts";

function send(message: WorkerMessage): void {
  process.send?.(message);
}

const log = (level: "info" | "warn" | "error", msg: string) => send({ type: "log", level, msg });

let service: InferenceService | null = null;
let testHooks = false;

async function handle(request: WorkerRequest): Promise<unknown> {
  if (request.op === "stall") {
    if (!testHooks) throw new Error("test hooks are off");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, request.ms);
    return null;
  }
  if (!service) throw new InferenceError("not_ready", "The model process has not been configured yet.");
  switch (request.op) {
    case "tokenize":
      return service.tokenize(request.text, request.model);
    case "chatPrompt":
      return service.chatPrompt(request.message, request.model);
    case "distribution":
      return service.distributions(request.prefixes, request.options);
    case "sample":
      return service.samples(request.requests);
    case "score":
      return service.score(request.text, request.options);
    case "stats":
      return service.stats();
  }
}

process.on("message", (message: ParentMessage) => {
  switch (message.type) {
    case "ping":
      send({ type: "pong", seq: message.seq });
      return;
    case "init": {
      testHooks = message.config.testHooks;
      const created = new InferenceService(message.config, log);
      service = created;
      void created.loadAll((status) => send({ type: "status", status }));
      return;
    }
    case "request":
      handle(message.request).then(
        (result) => send({ type: "response", id: message.id, ok: true, result }),
        (error: unknown) => {
          const known = error instanceof InferenceError;
          const text = error instanceof Error ? error.message : String(error);
          if (!known) log("error", `Request ${message.request.op} failed: ${error instanceof Error ? (error.stack ?? text) : text}`);
          send({
            type: "response",
            id: message.id,
            ok: false,
            error: known ? { code: error.code, message: text } : { code: "model_invalid", message: `The model failed: ${text}` },
          });
        },
      );
      return;
  }
});

// The server going away closes the channel; nothing is left to answer.
process.on("disconnect", () => process.exit(0));
