// What the room benchmarks share: percentiles, a bounded pool, the printed table, and the JSON file.
import { mkdirSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./bench-model.ts";

export interface Summary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

/** Runs `fn` over items with at most `limit` in flight: phones arrive in waves, not all in one tick. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** A number as the tables print it. */
export const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : "-");

/** A Markdown table, columns padded to their widest cell. */
export function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => "| " + cells.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ") + " |";
  return [line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

/** Writes bench/results/<name>.json with the machine it ran on, and says where. */
export function writeResults(name: string, body: Record<string, unknown>): void {
  const out = path.join(repoRoot, `bench/results/${name}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryGb: os.totalmem() / 2 ** 30, node: process.version, loadAverageAtEnd: os.loadavg() };
  writeFileSync(out, JSON.stringify({ id: randomUUID(), at: new Date().toISOString(), machine, ...body }, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}
