// bench:search: phrase lookups in the bundled training text, against a plain scan of every line
// (the baseline, measured in the same run). Prints a table and writes bench/results/search.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { phraseWords } from "../server/training-data/phrase-index.ts";
import { loadTrainingData } from "../server/training-data/training-data.ts";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "..");
const FILE = path.join(ROOT, "models", "training-data", "corpus.txt.gz");
const PHRASES = ["Einstein", "Albert Einstein", "Blake Bourne", "the", "of the", "once upon a time", "was born in Germany", "in the United States"];
const REPEAT = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(run: () => unknown, repeat: number): number {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    run();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const started = performance.now();
const data = loadTrainingData(FILE, { info: () => undefined, warn: console.warn });
await data.ready;
const buildMs = performance.now() - started;
const lines = gunzipSync(await readFile(FILE)).toString("utf8").split("\n").filter(Boolean);

// Baseline: split every line into words and compare, which is what a search without an index does.
function scan(phrase: string): number {
  const words = phraseWords(phrase);
  let count = 0;
  for (const line of lines) {
    if (!line.toLowerCase().includes(words[0]!)) continue;
    const w = phraseWords(line);
    for (let i = 0; i + words.length <= w.length; i++) if (words.every((x, j) => w[i + j] === x)) count++;
  }
  return count;
}

const rows = PHRASES.map((phrase) => {
  const indexed = data.search(phrase)!;
  const scanned = scan(phrase);
  if (indexed.count !== scanned) throw new Error(`count mismatch for "${phrase}": index ${indexed.count}, scan ${scanned}`);
  const indexMs = time(() => data.search(phrase), REPEAT);
  const scanMs = time(() => scan(phrase), 3);
  return { phrase, words: phraseWords(phrase).length, count: indexed.count, indexMs, scanMs, speedup: scanMs / indexMs };
});

console.log(`index over ${data.status().lines} lines, ${data.status().words} words, built in ${Math.round(buildMs)} ms\n`);
console.log("phrase                   words  count   index p50 ms  scan p50 ms  speedup");
for (const r of rows)
  console.log(`${r.phrase.padEnd(24)} ${String(r.words).padStart(5)} ${String(r.count).padStart(6)} ${r.indexMs.toFixed(2).padStart(14)} ${r.scanMs.toFixed(1).padStart(12)} ${r.speedup.toFixed(0).padStart(8)}×`);
const worst = Math.max(...rows.filter((r) => r.words <= 4).map((r) => r.indexMs));
console.log(`\nslowest lookup of up to 4 words: ${worst.toFixed(2)} ms (target < 50 ms)`);
mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
writeFileSync(path.join(ROOT, "bench", "results", "search.json"), JSON.stringify({ buildMs, rows, worstUpTo4WordsMs: worst }, null, 2));
