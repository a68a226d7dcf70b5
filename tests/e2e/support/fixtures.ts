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

export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(baseUrl());
  },
});
export { expect };
