// Token texts go into votes, rounds and exports: every one of them must be storable text.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isStorableText } from "../../../contract/protocol/limits.ts";
import { TextTokenizer } from "../../../contract/inference/model/text-tokenizer.ts";

const MODELS = path.resolve(import.meta.dirname, "../../../models");
const json = (...p: string[]) => JSON.parse(readFileSync(path.join(MODELS, ...p), "utf8"));

describe.each(["teach-base", "teach-instruct", "teach-idk"])("token texts of %s", (model) => {
  const tokenizer = new TextTokenizer(json(model, "tokenizer.json"), json(model, "tokenizer_config.json"), { bos: 1, eos: 2, pad: 0 });
  const vocab = json(model, "config.json").vocab_size as number;

  it("hold no control character but tab, newline and carriage return, so PostgreSQL can store them", () => {
    const control = (t: string) => [...t].some((c) => (c < " " && !"\t\n\r".includes(c)) || c === "\u007f");
    const bad = Array.from({ length: vocab }, (_, id) => tokenizer.tokenText(id)).filter((t) => !isStorableText(t) || control(t));
    expect(bad).toEqual([]);
  });

  it("shows the NUL byte token as its piece", () => {
    const nul = Array.from({ length: vocab }, (_, id) => id).find((id) => tokenizer.tokenText(id) === "<0x00>");
    expect(nul).toBeDefined();
  });
});
