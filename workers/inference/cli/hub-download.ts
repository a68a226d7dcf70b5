// Downloads a model from the Hugging Face Hub (or anything serving its URL layout), resuming
// partial files and checking sizes and SHA-256 hashes the hub reports.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export type FileVariant = "fp32" | "q4" | "int8";

const VARIANT_FILES: Record<FileVariant, string[]> = {
  fp32: ["onnx/model.onnx", "onnx/decoder_model_merged.onnx"],
  q4: ["onnx/model_q4.onnx", "onnx/model_q4f16.onnx"],
  int8: ["onnx/model_int8.onnx", "onnx/model_quantized.onnx", "onnx/decoder_model_merged_quantized.onnx"],
};
const REQUIRED = ["config.json", "tokenizer.json"];
const OPTIONAL = ["tokenizer_config.json", "generation_config.json", "special_tokens_map.json"];

export interface PullOptions {
  repo: string;
  revision: string;
  variant: FileVariant;
  dest: string;
  endpoint: string;
  token?: string;
  /** Attempts per file; each retry resumes from what is already on disk. */
  attempts?: number;
  onFileStart?: (file: string, totalBytes: number | null, resumedFrom: number) => void;
  onProgress?: (file: string, receivedBytes: number) => void;
  onFileDone?: (file: string, bytes: number, sha256: string, skipped: boolean) => void;
  log?: (msg: string) => void;
}

export class PullError extends Error {
  override name = "PullError";
}

interface RemoteMeta {
  size: number | null;
  sha256: string | null;
}

export async function pullModel(options: PullOptions): Promise<{ files: string[]; onnxFile: string }> {
  const listing = await listRepoFiles(options);
  const files = planFiles(listing, options.variant);
  mkdirSync(options.dest, { recursive: true });
  for (const file of files.required) await downloadFile(options, file, true);
  for (const file of files.optional) await downloadFile(options, file, false);
  return { files: [...files.required, ...files.optional], onnxFile: files.onnx };
}

/** The repository's file names from the hub API, or null when the endpoint has no API. */
async function listRepoFiles(options: PullOptions): Promise<string[] | null> {
  const url = `${options.endpoint}/api/models/${options.repo}/revision/${encodeURIComponent(options.revision)}`;
  try {
    const response = await fetch(url, { headers: authHeaders(options) });
    if (response.status === 401 || response.status === 403) throw new PullError(`The hub refused access to ${options.repo} (HTTP ${response.status}); set HF_TOKEN for gated models.`);
    if (response.status === 404) {
      const body = await response.text();
      // The hub answers 404 for an unknown repo or revision; a static mirror has no API at all.
      if (/Repository not found|Revision not found|Invalid rev/i.test(body)) throw new PullError(`${options.repo}@${options.revision} was not found on ${options.endpoint}.`);
      return null;
    }
    if (!response.ok) return null;
    const json = (await response.json()) as { siblings?: { rfilename?: unknown }[] };
    return (json.siblings ?? []).map((s) => s.rfilename).filter((f): f is string => typeof f === "string");
  } catch (error) {
    if (error instanceof PullError) throw error;
    options.log?.(`Could not list files (${(error as Error).message}); trying the usual file names.`);
    return null;
  }
}

function planFiles(listing: string[] | null, variant: FileVariant): { required: string[]; optional: string[]; onnx: string } {
  if (listing === null) {
    // Without a listing, try the variant's first name; external weights are optional there.
    const onnx = VARIANT_FILES[variant][0]!;
    return { required: [...REQUIRED, onnx], optional: [...OPTIONAL, `${onnx}_data`], onnx };
  }
  const names = new Set(listing);
  const onnx = VARIANT_FILES[variant].find((f) => names.has(f));
  if (!onnx) {
    const available = listing.filter((f) => f.endsWith(".onnx"));
    throw new PullError(
      `The repository has no ${variant} ONNX file (looked for ${VARIANT_FILES[variant].join(", ")}; it has ${available.join(", ") || "no ONNX files"}).`,
    );
  }
  for (const f of REQUIRED) if (!names.has(f)) throw new PullError(`The repository has no ${f}; it is not a transformers.js-style model.`);
  const externalData = listing.filter((f) => f.startsWith(`${onnx}_data`));
  return { required: [...REQUIRED, onnx, ...externalData], optional: OPTIONAL.filter((f) => names.has(f)), onnx };
}

function authHeaders(options: PullOptions): Record<string, string> {
  return options.token ? { authorization: `Bearer ${options.token}` } : {};
}

/** Follows redirects by hand so the hub's x-linked-* headers on the first hop are not lost. */
async function openDownload(options: PullOptions, file: string, from: number): Promise<{ response: Response; meta: RemoteMeta }> {
  let url = `${options.endpoint}/${options.repo}/resolve/${encodeURIComponent(options.revision)}/${file}`;
  const meta: RemoteMeta = { size: null, sha256: null };
  for (let hop = 0; hop < 6; hop++) {
    const headers: Record<string, string> = { ...authHeaders(options), "accept-encoding": "identity" };
    if (from > 0) headers.range = `bytes=${from}-`;
    const response = await fetch(url, { headers, redirect: "manual" });
    readLinkedMeta(response.headers, meta);
    if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
      await response.body?.cancel();
      url = new URL(response.headers.get("location")!, url).toString();
      continue;
    }
    return { response, meta };
  }
  throw new PullError(`Too many redirects for ${file}.`);
}

function readLinkedMeta(headers: Headers, meta: RemoteMeta): void {
  const size = headers.get("x-linked-size");
  if (size && meta.size === null) meta.size = Number(size);
  for (const name of ["x-linked-etag", "etag"]) {
    const value = headers.get(name)?.replace(/^W\//, "").replace(/"/g, "");
    // Git blob ETags are 40 hex (sha1); only a 64-hex ETag is the file's SHA-256.
    if (value && /^[0-9a-f]{64}$/i.test(value) && meta.sha256 === null) meta.sha256 = value.toLowerCase();
  }
}

async function downloadFile(options: PullOptions, file: string, required: boolean): Promise<void> {
  const target = path.join(options.dest, file);
  const part = `${target}.part`;
  mkdirSync(path.dirname(target), { recursive: true });
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const from = existsSync(part) ? statSync(part).size : 0;
    let opened: Awaited<ReturnType<typeof openDownload>>;
    try {
      opened = await openDownload(options, file, from);
    } catch (error) {
      if (error instanceof PullError || attempt >= attempts) throw wrap(error, file);
      continue;
    }
    const { response, meta } = opened;
    if (response.status === 404) {
      await response.body?.cancel();
      if (required) throw new PullError(`${file} was not found in ${options.repo}@${options.revision}.`);
      return;
    }
    if (response.status === 416 && from > 0) {
      // The part file is already complete (or longer than the file): verify it as it is.
      await response.body?.cancel();
    } else if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new PullError(`Downloading ${file} failed: HTTP ${response.status}.`);
    }
    const resumed = response.status === 206 ? from : 0;
    const total = meta.size ?? totalFromHeaders(response, resumed);
    if (existsSync(target) && total !== null && statSync(target).size === total && (await finalMatches(target, meta))) {
      await response.body?.cancel();
      options.onFileDone?.(file, total, meta.sha256 ?? "", true);
      return;
    }
    options.onFileStart?.(file, total, resumed);
    if (response.status !== 416) {
      try {
        await pipeline(
          Readable.fromWeb(response.body! as import("node:stream/web").ReadableStream<Uint8Array>),
          async function* (source: AsyncIterable<Buffer>) {
            let received = resumed;
            for await (const chunk of source) {
              received += chunk.length;
              options.onProgress?.(file, received);
              yield chunk;
            }
          },
          createWriteStream(part, { flags: resumed > 0 ? "a" : "w" }),
        );
      } catch (error) {
        if (attempt >= attempts) throw new PullError(`Downloading ${file} was interrupted ${attempts} times; run the command again to resume. (${(error as Error).message})`);
        options.log?.(`${file}: connection lost at ${statSync(part).size} bytes; resuming.`);
        continue;
      }
    }
    const size = statSync(part).size;
    if (total !== null && size < total) {
      if (attempt >= attempts) throw new PullError(`${file} is incomplete (${size} of ${total} bytes); run the command again to resume.`);
      options.log?.(`${file}: got ${size} of ${total} bytes; resuming.`);
      continue;
    }
    if (total !== null && size > total) {
      rmSync(part);
      throw new PullError(`${file} is larger than the hub says (${size} > ${total} bytes); the partial file was removed, run again.`);
    }
    const sha256 = await sha256Of(part);
    if (meta.sha256 !== null && sha256 !== meta.sha256) {
      rmSync(part);
      throw new PullError(`${file} is corrupt: its SHA-256 is ${sha256} but the hub says ${meta.sha256}. The download was removed; run again.`);
    }
    renameSync(part, target);
    options.onFileDone?.(file, size, sha256, false);
    return;
  }
}

function totalFromHeaders(response: Response, resumed: number): number | null {
  const range = response.headers.get("content-range");
  const match = range ? /\/(\d+)$/.exec(range) : null;
  if (match) return Number(match[1]);
  const length = response.headers.get("content-length");
  return length !== null ? resumed + Number(length) : null;
}

async function finalMatches(target: string, meta: RemoteMeta): Promise<boolean> {
  return meta.sha256 === null || (await sha256Of(target)) === meta.sha256;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function wrap(error: unknown, file: string): PullError {
  if (error instanceof PullError) return error;
  return new PullError(`Downloading ${file} failed: ${(error as Error).message}`);
}
