// npm run model:pull -- <hub-repo-id> [--revision R] [--file-variant q4|int8|fp32] [--dest models/<name>]
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { pullModel, PullError, type FileVariant } from "./hub-download.ts";

const USAGE = "Usage: npm run model:pull -- <hub-repo-id> [--revision main] [--file-variant fp32|q4|int8] [--dest models/<name>]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      revision: { type: "string", default: "main" },
      "file-variant": { type: "string", default: "fp32" },
      dest: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const repo = positionals[0];
  if (values.help || !repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    console.error(values.help ? USAGE : `A hub repository id like "owner/name" is required.\n${USAGE}`);
    return values.help ? 0 : 2;
  }
  const variant = values["file-variant"];
  if (variant !== "fp32" && variant !== "q4" && variant !== "int8") {
    console.error(`--file-variant must be fp32, q4 or int8 (got ${variant}).`);
    return 2;
  }
  const dest = path.resolve(values.dest ?? path.join("models", repo.split("/")[1]!));
  const endpoint = (process.env.HF_ENDPOINT ?? "https://huggingface.co").replace(/\/+$/, "");
  const bars = values.quiet || !process.stderr.isTTY ? null : new cliProgress.MultiBar(
    { format: " {bar} {percentage}% | {file} | {value}/{total} bytes", clearOnComplete: false, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const active = new Map<string, cliProgress.SingleBar>();
  try {
    const result = await pullModel({
      repo,
      revision: values.revision,
      variant: variant as FileVariant,
      dest,
      endpoint,
      token: process.env.HF_TOKEN,
      onFileStart: (file, total, from) => {
        if (bars) active.set(file, bars.create(total ?? 0, from, { file }));
        else console.error(`${file}: downloading${total !== null ? ` ${total} bytes` : ""}${from > 0 ? ` (resuming at ${from})` : ""}`);
      },
      onProgress: (file, received) => active.get(file)?.update(received),
      onFileDone: (file, bytes, sha256, skipped) => {
        active.get(file)?.update(bytes);
        if (!bars) console.error(`${file}: ${skipped ? "already here" : "done"} (${bytes} bytes${sha256 ? `, sha256 ${sha256.slice(0, 12)}…` : ""})`);
      },
      log: (msg) => (bars ? bars.log(`${msg}\n`) : console.error(msg)),
    });
    bars?.stop();
    const id = path.basename(dest);
    console.log(`Pulled ${repo}@${values.revision} into ${dest} (${result.files.length} files).`);
    console.log(`Add it to the registry (MODEL_REGISTRY, default models/registry.json):`);
    console.log(JSON.stringify({ id, name: repo, kind: "base", path: dest, file: result.onnxFile }));
    return 0;
  } catch (error) {
    bars?.stop();
    console.error(error instanceof PullError ? error.message : `Pull failed: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
