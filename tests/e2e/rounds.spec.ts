// A whole live session: a host console and a projector (one instructor), and three phones at 360 px.
import type { Browser, BrowserContext } from "@playwright/test";
import { DashboardSessions, HostConsolePage, PhonePage } from "./pages/room-pages.ts";
import { baseUrl, expect, PHONE, PROJECTOR, shot, signInInstructor, test } from "./support/fixtures.ts";

async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true, hasTouch: true });
}

test("three rounds with three phones: guess, continue, compare, then the written text and the review", async ({ browser }) => {
  const staff = await browser.newContext({ baseURL: baseUrl(), viewport: PROJECTOR });
  const hostPage = await staff.newPage();
  await signInInstructor(hostPage);
  const code = await new DashboardSessions(hostPage).createSession("E2E workshop", ["Once upon a", "The little dog"]);
  const host = new HostConsolePage(hostPage);

  const projector = await staff.newPage();
  await projector.goto(`/projector/${code}`);
  await expect(projector.getByText(code).first()).toBeVisible();

  const phones: PhonePage[] = [];
  for (const name of ["Ana", "Ben", "Cleo"]) {
    const context = await phoneContext(browser);
    const phone = new PhonePage(await context.newPage());
    await phone.join(code, name);
    phones.push(phone);
  }
  await expect(projector.getByRole("list", { name: "Who has joined" }).getByText("Cleo")).toBeVisible();
  await shot(projector, "rounds-projector-lobby-1280");
  await shot(phones[0]!.page, "rounds-phone-joined-360");

  // Round 1: a prepared prompt; one phone changes its vote, one reloads.
  await host.startPreparedRound(0);
  for (const phone of phones) await expect(phone.page.getByLabel("What comes next?")).toBeVisible();
  await phones[0]!.guess("time");
  await phones[1]!.guess("day");
  await phones[2]!.guess("Bourne");
  await shot(phones[2]!.page, "rounds-phone-voted-360");
  await phones[1]!.guess("time");
  await phones[2]!.page.reload();
  await expect(phones[2]!.voteStatus()).toContainText("Bourne");
  await expect(projector.getByText("3 of 3")).toBeVisible();
  await shot(projector, "rounds-projector-voting-1280");
  await host.expectVotes(3);
  await host.closeRound();
  await expect(projector.getByRole("heading", { name: /The class guessed \(3 votes\)/ })).toBeVisible();
  await shot(projector, "rounds-projector-reveal-1280");
  for (const phone of phones) await expect(phone.page.getByText("Your surprise")).toBeVisible();
  await shot(phones[0]!.page, "rounds-phone-reveal-360");
  await shot(hostPage, "rounds-host-reveal-1280");
  await host.pick("Model's top token");

  // Round 2: continue the text; the class favourite goes next.
  await host.continueText();
  await phones[0]!.guess("was");
  await phones[1]!.guess("was");
  await host.closeRound();
  await host.pick("Class favourite");

  // Round 3: compare a well-known opening with a made-up name.
  await host.compareTwoPrompts("Once upon a", "Blake Bourne was a");
  await expect(projector.getByText(/^A: /)).toBeVisible();
  await expect(projector.getByText(/^B: /)).toBeVisible();
  await phones[0]!.page.getByRole("button", { name: /^B:/ }).click();
  await expect(phones[0]!.page.getByText("your pick ✓")).toBeVisible();
  await host.revealCompare();
  await expect(projector.getByText(/The model is surer about [AB]\./)).toBeVisible();
  await expect(phones[0]!.page.getByText(/The model was surer about/)).toBeVisible();
  await shot(projector, "rounds-projector-compare-1280");

  await host.endSession();
  await expect(projector.getByRole("heading", { name: /What we wrote, token by token/ })).toBeVisible();
  await shot(projector, "rounds-projector-text-1280");
  await expect(phones[0]!.page.getByText("end of the session")).toBeVisible();

  // Review and CSV export: one table per kind of record.
  await hostPage.goto(`/review/${code}`);
  await expect(hostPage.getByRole("region", { name: "Round 3" })).toBeVisible();
  await shot(hostPage, "rounds-review-1280");
  const download = hostPage.waitForEvent("download");
  await hostPage.getByRole("link", { name: /^votes \(/ }).click();
  const csv = await (await download).createReadStream();
  let text = "";
  for await (const chunk of csv) text += String(chunk);
  expect(text).toContain("participant_id");
  expect(text.trim().split(/\r?\n/).length).toBeGreaterThanOrEqual(7);
});
