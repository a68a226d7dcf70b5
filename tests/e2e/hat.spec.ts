// The hat game in the browser: a host console, a projector, and three phones at 360 px draw their
// way through a whole template; the dial reshapes every hat; a phone reloads and keeps its story.
import type { Browser, BrowserContext } from "@playwright/test";
import { HostHatPanel, PhoneHatPage } from "./pages/hat-pages.ts";
import { DashboardSessions, HostConsolePage, PhonePage } from "./pages/room-pages.ts";
import { baseUrl, expect, PHONE, PROJECTOR, shot, signInInstructor, test } from "./support/fixtures.ts";

async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true, hasTouch: true });
}

test("a host and three phones play a whole Mad Libs template; the projector shows the stories", async ({ browser }) => {
  const staff = await browser.newContext({ baseURL: baseUrl(), viewport: PROJECTOR });
  const hostPage = await staff.newPage();
  await signInInstructor(hostPage);
  const code = await new DashboardSessions(hostPage).createSession("Hat workshop", []);
  await new HostConsolePage(hostPage).open(code);
  const host = new HostHatPanel(hostPage);

  const projector = await staff.newPage();
  await projector.goto(`/projector/${code}`);
  await expect(projector.getByText(code).first()).toBeVisible();

  const phones: PhoneHatPage[] = [];
  for (const name of ["Ana", "Ben", "Cleo"]) {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await new PhonePage(page).join(code, name);
    phones.push(new PhoneHatPage(page));
  }

  await host.start("Once upon a time (story)");
  const blanks = 4;
  for (const phone of phones) await phone.expectHat();
  await shot(phones[0]!.page, "hat-phone-hat-360");
  await shot(hostPage, "hat-host-running-1280");

  // The dial: top-p 0.5 cuts the tail off every hat, live.
  await host.setTopP(0.5);
  for (const phone of phones) await expect(phone.hat().getByText(/Cut off by top-p 0.5/)).toBeVisible();
  await shot(phones[1]!.page, "hat-phone-top-p-360");
  await host.setTopP(1);
  for (const phone of phones) await expect(phone.hat().getByText(/Cut off by top-p/)).toHaveCount(0);

  for (let blank = 1; blank <= blanks; blank++) {
    if (blank > 1) {
      await host.openNextBlank(blank);
      for (const phone of phones) await phone.expectHat();
    }
    for (const [i, phone] of phones.entries()) {
      const word = await phone.draw();
      expect(word.length).toBeGreaterThan(0);
      if (blank === 1 && i === 1) await expect(projector.getByRole("heading", { name: /What the class drew \(2\) vs the hats/ })).toBeVisible();
      if (blank === 1 && i === 0) {
        await phone.page.waitForTimeout(900); // let the reveal animation finish
        await shot(phone.page, "hat-phone-slip-360");
      }
    }
    if (blank === 1) {
      // everyone drew: the projector shows the stories so far
      await expect(projector.getByText(/Still drawing \(3\)/)).toBeVisible();
      await shot(projector, "hat-projector-blank1-1280");
      // A reload keeps the phone's place: its first blank stays filled with the same slip.
      const before = (await phones[2]!.story().textContent()) ?? "";
      await phones[2]!.page.reload();
      await expect(phones[2]!.story()).toHaveText(before);
    }
  }

  for (const phone of phones) await expect(phone.page.getByRole("heading", { name: "Your story is complete" })).toBeVisible();
  await shot(phones[0]!.page, "hat-phone-done-360");
  await expect(projector.getByText(/Finished stories \(3\)/)).toBeVisible();
  await shot(projector, "hat-projector-stories-1280");
  await host.finish();
  await shot(hostPage, "hat-host-finished-1280");
  await expect(phones[0]!.page.getByRole("heading", { name: "The game is over" })).toBeVisible();
});
