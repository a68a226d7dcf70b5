// Shared set-up for the inference integration tests: the real stories260K model from ../shared,
// temporary registries, and a quiet logger that keeps what it was told.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { InferenceLogger } from "../../../server/inference/index.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const storiesPath = path.resolve(repoRoot, "../shared/models/stories260K");

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeRegistry(dir: string, models: { id: string; path: string; kind?: "base" | "instruct"; file?: string }[], defaultModel?: string): string {
  const file = path.join(dir, "registry.json");
  const json = {
    default: defaultModel ?? models[0]?.id,
    models: models.map((m) => ({ id: m.id, name: m.id, kind: m.kind ?? "base", path: m.path, ...(m.file ? { file: m.file } : {}) })),
  };
  writeFileSync(file, JSON.stringify(json));
  return file;
}

export function memoryLogger(): InferenceLogger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const record = (level: string) => (obj: object | string, msg?: string) => lines.push({ level, msg: typeof obj === "string" ? obj : (msg ?? "") });
  return { lines, info: record("info"), warn: record("warn"), error: record("error") };
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
