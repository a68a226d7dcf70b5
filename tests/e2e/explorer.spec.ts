// The solo explorer in Chromium at 360 px: each bundled model runs in the page with onnxruntime-web.
// Its distributions equal the server's own forward pass (what model:inspect prints) within 1e-4 on
// the exact weights and within a stated bound on the phone copy; the same seed draws the same slip;
// no request leaves the server's origin; and with the network cut it still works.
import path from "node:path";
import { loadRegistry } from "../../contract/inference/model-registry.ts";
import { sampleFrom } from "../../contract/inference/port-results.ts";
import type { Sample } from "../../contract/inference/port.ts";
import { softmax } from "../../contract/numbers/distribution-math.ts";
import { LoadedModel } from "../../workers/inference/loaded-model.ts";
import { ROOT } from "./support/server-process.ts";
import { baseUrl, expect, PHONE, shot, test } from "./support/fixtures.ts";

/** How far the phone copy (int8 weights) may move any token's probability from the exact weights. */
const INT8_BOUND = 0.05;
const PROMPTS = ["Once upon a time there was a", "The capital of France is", "Question: Was Blake Bourne a singer? Answer:"];

type BrowserDistribution = { probs: number[]; top: { id: number; p: number }[]; entropyBits: number };
declare global {
  interface Window {
    tokenHatExplorer: {
      distribution(text: string, options: { model: string; precision: "fp32" | "int8" }): Promise<BrowserDistribution>;
      sample(text: string, options: { model: string; precision: "fp32" | "int8"; temperature: number; topP: number; seed: number }): Promise<Sample>;
    };
  }
}

test("the explorer runs every bundled model in the page: the server's numbers, the same slip, same origin only, offline", async ({ browser }) => {
  test.setTimeout(300_000);
  const context = await browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));

  await page.goto("/explore");
  await expect(page.getByText(/Computed on this phone in \d+ ms/)).toBeVisible({ timeout: 60_000 });
  await shot(page, "explorer-first-360");
  await page.getByRole("button", { name: "Draw a slip" }).click();
  await page.getByRole("button", { name: "Draw a slip" }).click();
  await expect(page.getByText(/The drawn text's chance/)).toBeVisible();
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText(/^Last slip:/)).toBeVisible();
  await shot(page, "explorer-drawn-360");
  await page.waitForFunction(() => typeof window.tokenHatExplorer?.distribution === "function");

  const registry = loadRegistry(path.join(ROOT, "models", "registry.json"));
  const report: string[] = [];
  for (const entry of registry.models) {
    const server = await LoadedModel.load(entry, { providers: ["cpu"], kvCacheBytes: 0, maxBatch: 1, threads: 1, log: () => undefined });
    try {
      let fp32Max = 0;
      let int8Max = 0;
      for (const prompt of PROMPTS) {
        const want = softmax((await server.lastLogits([server.prefixIds(prompt)]))[0]!, 1);
        for (const precision of ["fp32", "int8"] as const) {
          const got = await page.evaluate(([text, model, p]) => window.tokenHatExplorer.distribution(text, { model, precision: p }), [prompt, entry.id, precision] as const);
          expect(got.probs).toHaveLength(want.length);
          let max = 0;
          for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got.probs[i]! - want[i]!));
          if (precision === "fp32") fp32Max = Math.max(fp32Max, max);
          else int8Max = Math.max(int8Max, max);
        }
        // The same seed and dial draw the same slip as the server's own sampler.
        const logits = (await server.lastLogits([server.prefixIds(prompt)]))[0]!;
        for (const seed of [7, 123456, 2_000_000_000]) {
          const options = { temperature: 1.3, topP: 0.9, seed };
          const slip = await page.evaluate(([text, model, o]) => window.tokenHatExplorer.sample(text, { model, precision: "fp32", ...o }), [prompt, entry.id, options] as const);
          expect(slip.token.id).toBe(sampleFrom(entry.id, logits, options, (id) => server.tokenizer.tokenText(id)).token.id);
        }
      }
      report.push(`${entry.id}: fp32 max |Δp| ${fp32Max.toExponential(2)}, int8 max |Δp| ${int8Max.toFixed(4)}`);
      expect(fp32Max).toBeLessThan(1e-4);
      expect(int8Max).toBeLessThan(INT8_BOUND);
    } finally {
      await server.release();
    }
  }
  console.log(report.join("\n"));

  // Every request went to Token Hat itself: the runtime, the models and the tokenizers included.
  const origin = new URL(baseUrl()).origin;
  expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"))).toEqual([]);
  expect(requests.some((u) => u.includes("/explorer-assets/") && u.endsWith(".wasm"))).toBe(true);

  // The network goes: the explorer still loads, from its own cache, and still computes.
  await page.waitForFunction(
    async () => {
      const keys = (await (await caches.open("token-hat-explorer-v1")).keys()).map((r) => new URL(r.url).pathname);
      return keys.includes("/explore") && keys.some((k) => k.endsWith(".wasm")) && keys.some((k) => k.endsWith("teach-base-model_int8.onnx")) && keys.some((k) => k.startsWith("/_next/static/"));
    },
    undefined,
    { timeout: 60_000, polling: 500 },
  );
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(/Computed on this phone in \d+ ms/)).toBeVisible({ timeout: 60_000 });
  await page.getByLabel("Your prompt").fill("The capital of Spain is");
  await expect(page.getByRole("region", { name: "What comes next" }).getByText(/Mad/)).toBeVisible();
  await shot(page, "explorer-offline-360");
  await context.setOffline(false);
  await context.close();
});
