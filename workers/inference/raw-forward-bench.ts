// The floor for bench/inference.ts: a bare onnxruntime session.run on the same inputs the worker
// builds for a full prefix, with no IPC, caching or post-processing. Lives here because only the
// worker folder may import onnxruntime-node.
import * as ort from "onnxruntime-node";
import { readFileSync } from "node:fs";
import path from "node:path";
import { readArchitecture } from "../../contract/inference/model/model-config.ts";
import { readSessionLayout } from "../../contract/inference/model/session-layout.ts";
import { sessionOptions } from "./session-providers.ts";

export { sessionOptions };

export interface RawForward {
  /** One full forward pass over `ids` with an empty past; resolves when logits are ready. */
  run(ids: readonly number[]): Promise<void>;
  release(): Promise<void>;
}

export async function openRawForward(modelFolder: string, onnxFile: string, threads: number): Promise<RawForward> {
  const session = await ort.InferenceSession.create(onnxFile, { ...sessionOptions(threads), executionProviders: ["cpu"] });
  const arch = readArchitecture(JSON.parse(readFileSync(path.join(modelFolder, "config.json"), "utf8")), modelFolder);
  const layout = readSessionLayout(session.inputMetadata, session.outputMetadata, arch, modelFolder);
  return {
    async run(ids) {
      const n = ids.length;
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, n]),
      };
      if (layout.hasAttentionMask) feeds.attention_mask = new ort.Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]);
      if (layout.hasPositionIds) feeds.position_ids = new ort.Tensor("int64", BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), [1, n]);
      if (layout.hasTokenTypeIds) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(n), [1, n]);
      if (layout.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor("bool", Uint8Array.from([0]), [1]);
      const empty = layout.kvType === "float16" ? new Uint16Array(0) : new Float32Array(0);
      for (const name of layout.pastNames) feeds[name] = new ort.Tensor(layout.kvType, empty, [1, layout.kvHeads, 0, layout.headDim]);
      await session.run(feeds);
    },
    release: () => session.release(),
  };
}
