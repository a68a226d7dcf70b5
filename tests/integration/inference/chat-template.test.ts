// A model folder whose tokenizer_config.json has a chat template: stories260K's weights with a
// made-up Llama-2-style template (the model was never tuned on it; only the wrapping is tested).
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkerInference } from "../../../server/inference/worker-client.ts";
import { memoryLogger, storiesPath, tempDir } from "./model-fixture.ts";

const TEMPLATE = "{% for m in messages %}{{ bos_token }}[INST] {{ m.content }} [/INST]{% endfor %}{% if add_generation_prompt %} Answer:{% endif %}";

describe("chat template", () => {
  const tmp = tempDir("inference-chat-");
  let client: WorkerInference;

  beforeAll(() => {
    const dir = path.join(tmp.dir, "chatty");
    mkdirSync(dir);
    for (const f of ["config.json", "tokenizer.json", "onnx"]) symlinkSync(path.join(storiesPath, f), path.join(dir, f));
    writeFileSync(
      path.join(dir, "tokenizer_config.json"),
      JSON.stringify({ add_bos_token: true, bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>", chat_template: TEMPLATE }),
    );
    client = new WorkerInference({
      models: [
        { id: "chatty", name: "Chatty", kind: "instruct", path: dir },
        { id: "plain", name: "Plain", kind: "base", path: storiesPath },
      ],
      defaultModel: "chatty",
      providers: ["cpu"],
      timeoutMs: 60_000,
      logger: memoryLogger(),
    });
  });

  afterAll(async () => {
    await client.close();
    tmp.remove();
  });

  it("wraps a message with the template's markers and generation prompt", async () => {
    expect(await client.chatPrompt("Who was Tom?")).toBe("<s>[INST] Who was Tom? [/INST] Answer:");
    expect(client.status().models.find((m) => m.id === "chatty")?.hasChatTemplate).toBe(true);
  });

  it("leaves the message unchanged for a model without a template", async () => {
    expect(await client.chatPrompt("Who was Tom?", { model: "plain" })).toBe("Who was Tom?");
  });

  it("conditions on the wrapped prompt with exactly one BOS when chat is on", async () => {
    const chat = await client.distribution("Who was Tom?", { chat: true, includeProbs: true });
    expect(chat.prefix.filter((t) => t.id === 1)).toHaveLength(1);
    expect(chat.prefix.map((t) => t.text).join("")).toBe("<s>[INST] Who was Tom? [/INST] Answer:".replace("<s>[", "<s> ["));
    const raw = await client.distribution("Who was Tom?", { includeProbs: true });
    expect(raw.prefix.length).toBeLessThan(chat.prefix.length);
    expect(raw.probs).not.toEqual(chat.probs);
  });
});
