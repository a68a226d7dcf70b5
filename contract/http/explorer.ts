// GET /api/explorer: where the browser explorer finds the runtime and each bundled model. Every URL
// is on this server and names its file by content, so a browser can keep it for a year and offline.
export interface ExplorerModelFiles {
  id: string;
  name: string;
  kind: "base" | "instruct";
  /** The phone copy: weights in int8 (about a quarter of the size); null when not built. */
  int8: { url: string; bytes: number } | null;
  /** The exact weights the server runs. */
  fp32: { url: string; bytes: number };
  tokenizer: string;
  tokenizerConfig: string | null;
  config: string;
}

export interface ExplorerManifest {
  runtime: { module: string; glue: string; wasm: string; bytes: number };
  defaultModel: string | null;
  models: ExplorerModelFiles[];
}
