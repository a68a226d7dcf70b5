import { test as base, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./server-process.ts";

export const INSTRUCTOR = { name: "Ada Lovelace", email: "ada@example.org", password: "correct horse battery" };
export const PHONE = { width: 360, height: 740 };
export const PROJECTOR = { width: 1280, height: 720 };
const SHOTS = path.join(ROOT, "tests", "artifacts", "screenshots");

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is unset: run through playwright.config.ts");
  return url;
}

/** Saves a full-page screenshot under tests/artifacts/screenshots for people to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs the page in as the instructor, creating the account through the setup link if needed. */
export async function signInInstructor(page: Page): Promise<void> {
  const signedIn = async () => (await page.request.get("/api/auth/me").then((r) => r.json()))?.data?.account != null;
  const setupUrl = process.env.E2E_SETUP_URL;
  const signIn = await page.request.post("/api/auth/signin", { data: { email: INSTRUCTOR.email, password: INSTRUCTOR.password } });
  if (!signIn.ok() && setupUrl) {
    const token = new URL(setupUrl).searchParams.get("token");
    await page.request.post("/api/auth/setup", { data: { token, email: INSTRUCTOR.email, name: INSTRUCTOR.name, password: INSTRUCTOR.password } });
  }
  expect(await signedIn()).toBe(true);
}

export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(baseUrl());
  },
});
export { expect };

export const PROJECTOR_HD = { width: 1920, height: 1080 };

export interface StageReport {
  smallestTextPx: number;
  smallestFigurePx: number | null;
  viewportHeight: number;
  problems: string[];
}

/**
 * Measures a projector page as the back of a classroom sees it: the smallest visible text, the main
 * figures, and anything that falls outside the screen, scrolls or is clipped by its box.
 */
export async function measureStage(page: Page): Promise<StageReport> {
  return page.evaluate(() => {
    const vh = window.innerHeight;
    const vw = window.innerWidth;
    const problems: string[] = [];
    let smallest = Infinity;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const el = node.parentElement;
      // Recharts measures label widths in an off-screen span nobody sees.
      if (!text || !el || el.closest("script,style,noscript,#recharts_measurement_span")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      // Screen-reader-only text is clipped to a pixel; it is not read from the back of the room.
      const own = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2 || own.width <= 1 || own.height <= 1) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      smallest = Math.min(smallest, size);
      if (size < 0.033 * vh) problems.push(`text "${text.slice(0, 40)}" is ${size.toFixed(1)} px (< 3.3% of ${vh})`);
      if (box.bottom > vh + 1 || box.right > vw + 1 || box.top < -1 || box.left < -1) problems.push(`text "${text.slice(0, 40)}" is outside the screen`);
    }
    let smallestFigure: number | null = null;
    for (const el of document.querySelectorAll("[data-figure]")) {
      const size = parseFloat(getComputedStyle(el).fontSize);
      smallestFigure = Math.min(smallestFigure ?? Infinity, size);
      if (size < 0.08 * vh) problems.push(`figure "${el.textContent?.slice(0, 30)}" is ${size.toFixed(1)} px (< 8% of ${vh})`);
    }
    for (const el of document.querySelectorAll("body *")) {
      const style = getComputedStyle(el);
      const clips = /(hidden|clip|auto|scroll)/.test(style.overflow + style.overflowX + style.overflowY);
      // Screen-reader-only boxes are one pixel on purpose.
      if (!clips || el.closest("svg") || (el.clientWidth <= 1 && el.clientHeight <= 1)) continue;
      if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) {
        if ((el.textContent ?? "").trim()) problems.push(`<${el.tagName.toLowerCase()} class="${String(el.getAttribute("class")).slice(0, 60)}"> clips its content`);
      }
    }
    if (document.documentElement.scrollHeight > vh + 1) problems.push(`the page scrolls: ${document.documentElement.scrollHeight} px tall at ${vh}`);
    return { smallestTextPx: smallest, smallestFigurePx: smallestFigure, viewportHeight: vh, problems };
  });
}

/** Fails with every problem on the screen at once, so one run shows what to fix. */
export async function expectReadableStage(page: Page, what: string): Promise<void> {
  const report = await measureStage(page);
  expect(report.problems, `${what} at ${page.viewportSize()?.width}×${report.viewportHeight}`).toEqual([]);
}
