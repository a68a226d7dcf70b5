// model:pull against a local server that imitates the Hugging Face Hub's URL layout: LFS files
// redirect to a "CDN" with x-linked-size / x-linked-etag, Range requests resume downloads.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pullModel, PullError } from "../../../workers/inference/cli/hub-download.ts";
import { repoRoot, tempDir } from "./model-fixture.ts";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const FILES: Record<string, Buffer> = {
  "config.json": Buffer.from(JSON.stringify({ model_type: "llama", num_hidden_layers: 1, num_attention_heads: 1, hidden_size: 8 })),
  "tokenizer.json": Buffer.from(JSON.stringify({ version: "1.0", model: { type: "BPE", vocab: {}, merges: [] } })),
  "tokenizer_config.json": Buffer.from("{}"),
  "onnx/model.onnx": randomBytes(300_000),
  "onnx/model_q4.onnx": randomBytes(120_000),
};
const LFS = new Set(["onnx/model.onnx", "onnx/model_q4.onnx"]);

interface HubState {
  /** Files whose next download is cut off halfway. */
  dropOnce: Set<string>;
  /** Repos whose LFS hashes the server misreports. */
  lyingRepos: Set<string>;
  ranges: string[];
}

function startHub(state: HubState): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://hub");
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) {
      if (api[1] === "nobody/nothing") return void res.writeHead(404).end("Repository not found");
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ id: api[1], sha: "abc", siblings: Object.keys(FILES).map((rfilename) => ({ rfilename })) }));
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const [, repo, , file] = resolve as unknown as [string, string, string, string];
      const data = FILES[file];
      if (!data) return void res.writeHead(404).end("Entry not found");
      if (LFS.has(file)) {
        const etag = state.lyingRepos.has(repo) ? sha256(Buffer.from("something else")) : sha256(data);
        res.writeHead(302, { location: `/cdn/${file}`, "x-linked-size": String(data.length), "x-linked-etag": `"${etag}"` });
        return void res.end();
      }
      res.writeHead(200, { "content-length": data.length, etag: `"${createHash("sha1").update(data).digest("hex")}"` });
      return void res.end(data);
    }
    const cdn = /^\/cdn\/(.+)$/.exec(url.pathname);
    const data = cdn ? FILES[cdn[1]!] : undefined;
    if (!cdn || !data) return void res.writeHead(404).end();
    const range = req.headers.range ? /^bytes=(\d+)-$/.exec(req.headers.range) : null;
    if (req.headers.range) state.ranges.push(req.headers.range);
    const start = range ? Number(range[1]) : 0;
    if (start >= data.length) return void res.writeHead(416, { "content-range": `bytes */${data.length}` }).end();
    const body = data.subarray(start);
    res.writeHead(range ? 206 : 200, {
      "content-length": body.length,
      ...(range ? { "content-range": `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
    });
    if (state.dropOnce.delete(cdn[1]!)) {
      // Send half, give the client time to read it, then cut the connection as a flaky network would.
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => res.destroy(), 150);
      return;
    }
    res.end(body);
  });
  return new Promise((ready) => server.listen(0, "127.0.0.1", () => ready(server)));
}

describe("model:pull", () => {
  const state: HubState = { dropOnce: new Set(), lyingRepos: new Set(), ranges: [] };
  const tmp = tempDir("model-pull-");
  let server: http.Server;
  let endpoint: string;

  beforeAll(async () => {
    server = await startHub(state);
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
    tmp.remove();
  });

  beforeEach(() => {
    state.dropOnce.clear();
    state.lyingRepos.clear();
    state.ranges.length = 0;
  });

  /** One Range request, starting after the bytes that arrived (at most the half that was sent). */
  function expectOneResumeWithin(sent: number): void {
    expect(state.ranges).toHaveLength(1);
    const start = Number(/^bytes=(\d+)-$/.exec(state.ranges[0]!)?.[1]);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(sent);
  }

  const pull = (dest: string, extra: Partial<Parameters<typeof pullModel>[0]> = {}) =>
    pullModel({ repo: "someone/tiny", revision: "main", variant: "fp32", dest: path.join(tmp.dir, dest), endpoint, ...extra });

  it("downloads the model files and checks them against the hub's hashes", async () => {
    const result = await pull("plain");
    expect(result.onnxFile).toBe("onnx/model.onnx");
    for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"]) {
      expect(readFileSync(path.join(tmp.dir, "plain", file)).equals(FILES[file]!)).toBe(true);
    }
    expect(existsSync(path.join(tmp.dir, "plain/onnx/model_q4.onnx"))).toBe(false);
  });

  it("resumes with an HTTP Range request when the connection drops halfway", async () => {
    state.dropOnce.add("onnx/model.onnx");
    const logs: string[] = [];
    await pull("resumed", { log: (m) => logs.push(m) });
    expectOneResumeWithin(FILES["onnx/model.onnx"]!.length / 2);
    expect(readFileSync(path.join(tmp.dir, "resumed/onnx/model.onnx")).equals(FILES["onnx/model.onnx"]!)).toBe(true);
    expect(logs.join("\n")).toMatch(/resuming/);
  });

  it("resumes from the .part file of an earlier run that gave up", async () => {
    state.dropOnce.add("onnx/model_q4.onnx");
    await expect(pull("later", { variant: "q4", attempts: 1 })).rejects.toThrow(/interrupted/);
    expect(existsSync(path.join(tmp.dir, "later/onnx/model_q4.onnx.part"))).toBe(true);
    await pull("later", { variant: "q4" });
    expectOneResumeWithin(FILES["onnx/model_q4.onnx"]!.length / 2);
    expect(readFileSync(path.join(tmp.dir, "later/onnx/model_q4.onnx")).equals(FILES["onnx/model_q4.onnx"]!)).toBe(true);
    expect(existsSync(path.join(tmp.dir, "later/onnx/model_q4.onnx.part"))).toBe(false);
  });

  it("fails clearly and keeps nothing when the SHA-256 does not match", async () => {
    state.lyingRepos.add("liar/tiny");
    const error: unknown = await pull("liar", { repo: "liar/tiny" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullError);
    expect((error as Error).message).toMatch(/onnx\/model\.onnx is corrupt: its SHA-256 is [0-9a-f]{64} but the hub says/);
    expect(existsSync(path.join(tmp.dir, "liar/onnx/model.onnx"))).toBe(false);
    expect(existsSync(path.join(tmp.dir, "liar/onnx/model.onnx.part"))).toBe(false);
  });

  it("names the ONNX files there are when the variant is missing", async () => {
    await expect(pull("int8", { variant: "int8" })).rejects.toThrow(/no int8 ONNX file .* it has onnx\/model\.onnx, onnx\/model_q4\.onnx/);
  });

  it("reports an unknown repository", async () => {
    await expect(pull("none", { repo: "nobody/nothing" })).rejects.toThrow(/nobody\/nothing@main was not found/);
  });

  it("skips files that are already complete", async () => {
    mkdirSync(path.join(tmp.dir, "again"), { recursive: true });
    await pull("again");
    const skipped: string[] = [];
    await pull("again", { onFileDone: (file, _b, _s, wasSkipped) => wasSkipped && skipped.push(file) });
    expect(skipped).toContain("onnx/model.onnx");
  });

  it("works from the command line with HF_ENDPOINT and prints a registry entry", async () => {
    const dest = path.join(tmp.dir, "cli");
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, ["--import", "tsx", "workers/inference/cli/pull.ts", "someone/tiny", "--file-variant", "q4", "--dest", dest], {
        cwd: repoRoot,
        env: { ...process.env, HF_ENDPOINT: endpoint },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("exit", (exitCode) => done({ code: exitCode, stdout, stderr }));
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('"file":"onnx/model_q4.onnx"');
    expect(readFileSync(path.join(dest, "onnx/model_q4.onnx")).equals(FILES["onnx/model_q4.onnx"]!)).toBe(true);
  });
});
