// npm run bench:hat: how long the class's draws for one blank take, batched vs one request per
// student. N students with distinct stories reach blank 2; the timed step is what the server does
// when the host opens that blank: every student's hat (one distribution per story), then every
// draw, including the later tokens of words that take several.
// Uses the registry's default model (MODEL_REGISTRY, default models/registry.json), else stories260K.
// Writes bench/results/hat.json.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { HatDrawService } from "../server/activities/hat/draw-service.ts";
import { builtInTemplate, DEFAULT_MAX_TOKENS } from "../server/activities/hat/hat-templates.ts";
import { BENCH_THREADS, benchModel, repoRoot } from "./bench-model.ts";
import { WorkerInference } from "../server/inference/worker-client.ts";

const SIZES = (process.env.HAT_BENCH_SIZES ?? "50,200,500").split(",").map(Number);
const REPEATS = Number(process.env.HAT_BENCH_REPEATS ?? 3);
const DIAL = { temperature: 1, topP: 1, topK: null };
const quiet = { info: () => {}, warn: () => {}, error: (o: object | string, m?: string) => console.error(m ?? o) };


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const entry = benchModel();
  // The server's own worker settings (batch window, maximum batch), so the numbers are what a class gets.
  const inference = new WorkerInference({ models: [entry], defaultModel: entry.id, providers: ["cpu"], timeoutMs: 120_000, logger: quiet, threads: BENCH_THREADS });
  const batched = new HatDrawService(inference, { model: entry.id, batched: true });
  const unbatched = new HatDrawService(inference, { model: entry.id, batched: false });
  const template = builtInTemplate("once-upon")!;
  const segments = await batched.segmentIds(template.segments);
  const vocab = await batched.vocab(segments[0]!);
  await unbatched.vocab(segments[0]!);
  const [seg0, seg1] = segments as [number[], number[]];

  // Word tokens that start a word: stories differ in the two tokens their first blank took.
  const words = vocab.texts.flatMap((text, id) => (vocab.nonWord[id] === 0 && /^ [a-z]{3,}$/.test(text) ? [id] : []));
  let nextPair = 0;
  const story = (): number[] => {
    const a = words[nextPair % words.length]!;
    const b = words[Math.floor(nextPair / words.length) % words.length]!;
    nextPair++;
    return [...seg0, a, b];
  };
  console.log(`model ${entry.id} (vocabulary ${vocab.texts.length}), ${words.length} word tokens, ${os.cpus().length} CPUs, ${BENCH_THREADS} inference thread(s)`);

  /** One blank for n fresh stories: the previous blank's last step warms the cache, as in a game. */
  async function blank(service: HatDrawService, n: number, seedBase: number) {
    const filled = Array.from({ length: n }, story);
    await batched.sources(filled); // the previous blank's continuation check, always batched
    const prefixes = filled.map((ids) => [...ids, ...seg1]);
    const calls = service.calls;
    const t0 = performance.now();
    const sources = await service.sources(prefixes);
    const t1 = performance.now();
    const fills = await service.drawFills(prefixes.map((prefixIds, i) => ({ prefixIds, source: sources[i]!, seed: seedBase + i, dial: DIAL, maxTokens: DEFAULT_MAX_TOKENS, blank: 1, now: 0 })));
    const t2 = performance.now();
    return { totalMs: t2 - t0, hatsMs: t1 - t0, drawsMs: t2 - t1, calls: service.calls - calls, tokens: fills.reduce((a, f) => a + f.tokens.length, 0) };
  }

  // Warm-up: load paths, JIT, allocator.
  await blank(batched, 20, 1);
  await blank(unbatched, 5, 1);

  const rows = [];
  for (const n of SIZES) {
    const runs: { batched: Awaited<ReturnType<typeof blank>>[]; unbatched: Awaited<ReturnType<typeof blank>>[] } = { batched: [], unbatched: [] };
    for (let r = 0; r < REPEATS; r++) {
      runs.batched.push(await blank(batched, n, 1000 * r));
      runs.unbatched.push(await blank(unbatched, n, 1000 * r));
    }
    const b = median(runs.batched.map((x) => x.totalMs));
    const u = median(runs.unbatched.map((x) => x.totalMs));
    const row = {
      students: n,
      batchedMs: b,
      batchedHatsMs: median(runs.batched.map((x) => x.hatsMs)),
      batchedDrawsMs: median(runs.batched.map((x) => x.drawsMs)),
      batchedCalls: median(runs.batched.map((x) => x.calls)),
      unbatchedMs: u,
      unbatchedCalls: median(runs.unbatched.map((x) => x.calls)),
      ratio: u / b,
      tokensPerStudent: median(runs.batched.map((x) => x.tokens)) / n,
      runs,
    };
    rows.push(row);
    console.log(`  ${n} students: batched ${b.toFixed(0)} ms, unbatched ${u.toFixed(0)} ms`);
  }
  await inference.close();

  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log(`\nOne blank, ${entry.id}, CPU (${os.cpus().length} cores), medians of ${REPEATS}`);
  console.log(`${pad("students", 9)} ${pad("batched ms", 11)} ${pad("(hats+draws)", 14)} ${pad("calls", 6)} ${pad("unbatched ms", 13)} ${pad("calls", 6)} ${pad("speed-up", 9)}`);
  for (const r of rows) {
    console.log(
      `${pad(r.students, 9)} ${pad(r.batchedMs.toFixed(0), 11)} ${pad(`${r.batchedHatsMs.toFixed(0)}+${r.batchedDrawsMs.toFixed(0)}`, 14)} ${pad(r.batchedCalls, 6)} ${pad(r.unbatchedMs.toFixed(0), 13)} ${pad(r.unbatchedCalls, 6)} ${pad(`${r.ratio.toFixed(1)}×`, 9)}`,
    );
  }
  const r200 = rows.find((r) => r.students === 200);
  if (r200) {
    console.log(`\ntarget: 200 students ≤ 2000 ms: ${r200.batchedMs <= 2000 ? "met" : "MISSED"} (${r200.batchedMs.toFixed(0)} ms); batched ≥ 5× unbatched: ${r200.ratio >= 5 ? "met" : "MISSED"} (${r200.ratio.toFixed(1)}×)`);
  }
  mkdirSync(path.join(repoRoot, "bench/results"), { recursive: true });
  writeFileSync(
    path.join(repoRoot, "bench/results/hat.json"),
    JSON.stringify({ model: entry.id, vocabulary: vocab.texts.length, cpus: os.cpus().length, threads: BENCH_THREADS, repeats: REPEATS, date: new Date().toISOString(), rows }, null, 2) + "\n",
  );
  console.log("wrote bench/results/hat.json");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
