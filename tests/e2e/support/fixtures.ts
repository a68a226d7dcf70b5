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
