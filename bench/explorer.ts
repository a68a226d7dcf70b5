// bench:explorer: the solo explorer in Chromium as a phone on a school network runs it: CPU slowed 4×
// and a slow network (Chrome's "Fast 4G" profile: 9 Mbit/s down, 150 ms latency), against the same
// page on the bare machine (the baseline, measured in the same run), and the phone's return visit. For each: time to the first
// distribution, per-step latency while typing (p50, p95), and the bytes the page transferred.
// Prints a table and writes bench/results/explorer.json. Targets: first distribution within 3 s, a
// step within 50 ms p50, under 10 MB transferred.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { ROOT, startServerProcess } from "../tests/e2e/support/server-process.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const STEPS = ["The", " capital", " of", " France", " is", " a", " city", " where", " the", " king", " lived", " long", " ago"];
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

interface Run {
  profile: string;
  firstDistributionMs: number;
  stepP50Ms: number;
  stepP95Ms: number;
  transferredBytes: number;
}

async function measure(page: Page, url: string, profile: { name: string; cpu: number; network: { latency: number; downloadThroughput: number; uploadThroughput: number } | null }): Promise<Run> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  let transferred = 0;
  cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => (transferred += e.encodedDataLength));
  if (profile.cpu > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  if (profile.network) await cdp.send("Network.emulateNetworkConditions", { offline: false, ...profile.network });
  const started = Date.now();
  await page.goto(`${url}/explore`);
  await page.getByText(/Computed on this phone in \d+ ms/).waitFor({ timeout: 180_000 });
  const firstDistributionMs = Date.now() - started;
  const box = page.getByLabel("Your prompt");
  await box.fill("");
  const steps: number[] = [];
  let text = "";
  for (const piece of STEPS) {
    text += piece;
    const before = await page.getByTestId("step-ms").getAttribute("data-step").catch(() => null);
    await box.fill(text);
    // The page times its own forward pass and numbers (performance.now around the step).
    await page.waitForFunction((old) => {
      const el = document.querySelector('[data-testid="step-ms"]');
      return el !== null && el.getAttribute("data-step") !== old;
    }, before);
    steps.push(Number(/(\d+) ms/.exec((await page.getByTestId("step-ms").textContent()) ?? "")?.[1]));
  }
  await cdp.detach();
  return { profile: profile.name, firstDistributionMs, stepP50Ms: quantile(steps, 0.5), stepP95Ms: quantile(steps, 0.95), transferredBytes: transferred };
}

const server = await startServerProcess();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
const runs: Run[] = [];
try {
  // Each profile starts with an empty cache (a new context); the phone then comes back a second
  // time, when the browser's cache already holds the content-named files.
  const profiles = [
    { name: "baseline: this machine, loopback", cpu: 1, network: null },
    { name: "phone: CPU 4× slower, Fast 4G", cpu: 4, network: { latency: 150, downloadThroughput: (9 * 1024 * 1024) / 8, uploadThroughput: (1.5 * 1024 * 1024) / 8 } },
  ];
  for (const profile of profiles) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, serviceWorkers: "block" });
    const page = await context.newPage();
    runs.push(await measure(page, server.url, profile));
    if (profile.cpu > 1) runs.push(await measure(page, server.url, { ...profile, name: "phone again: files already cached" }));
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

const [base, phone, again] = runs as [Run, Run, Run];
console.log("profile                                first distribution   step p50   step p95   transferred");
for (const r of runs)
  console.log(`${r.profile.padEnd(38)} ${`${(r.firstDistributionMs / 1000).toFixed(2)} s`.padStart(18)} ${`${r.stepP50Ms} ms`.padStart(10)} ${`${r.stepP95Ms} ms`.padStart(10)} ${`${(r.transferredBytes / 1e6).toFixed(2)} MB`.padStart(13)}`);
console.log(`\nphone / baseline: first distribution ${(phone.firstDistributionMs / base.firstDistributionMs).toFixed(1)}×, step p50 ${(phone.stepP50Ms / Math.max(1, base.stepP50Ms)).toFixed(1)}×`);
const met = (ok: boolean) => (ok ? "met" : "NOT met");
console.log(`targets on the phone profile: first distribution ≤ 3 s: ${met(phone.firstDistributionMs <= 3000)} on the first visit, ${met(again.firstDistributionMs <= 3000)} on a return visit; step p50 ≤ 50 ms: ${met(phone.stepP50Ms <= 50)}; under 10 MB: ${met(phone.transferredBytes < 10e6)}`);
console.log(`(the first visit cannot beat the download itself: ${(phone.transferredBytes / 1e6).toFixed(1)} MB at 9 Mbit/s is ${((phone.transferredBytes * 8) / 9e6).toFixed(1)} s)`);
mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
writeFileSync(path.join(ROOT, "bench", "results", "explorer.json"), JSON.stringify({ runs, ratio: { firstDistribution: phone.firstDistributionMs / base.firstDistributionMs, stepP50: phone.stepP50Ms / Math.max(1, base.stepP50Ms) } }, null, 2) + "\n");
