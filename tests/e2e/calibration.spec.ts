// The calibration game in the browser: a host console, a projector at 1280×720 and at 1920×1080,
// and three phones at 360 px go through the quick set; a phone reloads mid-question and finds its
// answer; the reveal is readable from the back of the room on every page.
import type { Browser, Page } from "@playwright/test";
import { HostCalibrationPanel, PhoneCalibrationPage } from "./pages/calibration-pages.ts";
import { DashboardSessions, HostConsolePage, PhonePage } from "./pages/room-pages.ts";
import { baseUrl, expect, expectReadableStage, PHONE, PROJECTOR, PROJECTOR_HD, shot, signInInstructor, test } from "./support/fixtures.ts";

async function phoneContext(browser: Browser) {
  return browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true, hasTouch: true });
}

// Quick five: Norway, Borodin, Lunetta Marsh (yes/no), Max Planck, Varnistan.
const ANSWERS: [string, number | null][][] = [
  [["Oslo", 100], ["Bergen", 60], ["oslo", 90]],
  [["composer", 60], ["", null], ["pianist", 70]],
  [["Yes", 70], ["No", 50], ["", null]],
  [["physicist", 90], ["chemist", 80], ["Physicist", 100]],
  [["", null], ["Varnopolis", 60], ["", null]],
];

test("a host, two projectors and three phones play the quick set; a phone reloads; the reveal reads from the back", async ({ browser }) => {
  const staff = await browser.newContext({ baseURL: baseUrl(), viewport: PROJECTOR });
  const hostPage = await staff.newPage();
  await signInInstructor(hostPage);
  const code = await new DashboardSessions(hostPage).createSession("Calibration workshop", []);
  await new HostConsolePage(hostPage).open(code);
  const host = new HostCalibrationPanel(hostPage);

  const projectors: Page[] = [];
  for (const size of [PROJECTOR, PROJECTOR_HD]) {
    const p = await staff.newPage();
    await p.setViewportSize(size);
    await p.goto(`/projector/${code}`);
    await expect(p.getByText(code).first()).toBeVisible();
    projectors.push(p);
  }
  const phones: PhoneCalibrationPage[] = [];
  for (const name of ["Ana", "Ben", "Cleo"]) {
    const page = await (await phoneContext(browser)).newPage();
    await new PhonePage(page).join(code, name);
    phones.push(new PhoneCalibrationPage(page));
  }

  await host.start("Quick five (5 questions)");
  for (const [q, answers] of ANSWERS.entries()) {
    if (q > 0) await host.next(q + 1);
    for (const p of projectors) await expect(p.getByText(new RegExp(`question ${q + 1} of 5`))).toBeVisible();
    for (const [i, phone] of phones.entries()) {
      const [answer, confidence] = answers[i]!;
      await phone.answer(answer, confidence);
      if (q === 0 && i === 0) await shot(phone.page, "calibration-phone-sent-360");
    }
    for (const p of projectors) await expect(p.getByText(/^3$/).first()).toBeVisible();
    if (q === 0) {
      for (const p of projectors) {
        await shot(p, `calibration-projector-question-${p.viewportSize()!.width}`);
        await expectReadableStage(p, "a question");
      }
    }
    if (q === 2) {
      // The yes/no question, then a reload: the phone lands on the live question with its answer.
      await shot(phones[1]!.page, "calibration-phone-yes-no-360");
      await phones[1]!.page.reload();
      await expect(phones[1]!.question()).toHaveText("Was Lunetta Marsh a singer?");
      await expect(phones[1]!.page.getByText("Sent: “No”, 50% sure.", { exact: false })).toBeVisible();
      await expect(phones[1]!.page.getByRole("button", { name: "No", exact: true })).toHaveAttribute("aria-pressed", "true");
    }
  }
  await shot(hostPage, "calibration-host-asking-1280");
  await host.reveal();
  await expect(phones[0]!.page.getByRole("region", { name: "Your calibration" })).toBeVisible();
  await expect(phones[0]!.page.getByText("You: “Oslo”, 100% sure — right ✓.", { exact: false })).toBeVisible();
  await shot(phones[0]!.page, "calibration-phone-reveal-360");

  // Every page of the reveal fits the screen and reads from the back; the arrow keys turn them.
  const pages = ["The class", "When you said 90%…", /made-up subjects|no made-up subjects/, /^1\. What is the capital of Norway\?/];
  for (const p of projectors) {
    const width = p.viewportSize()!.width;
    for (const [n, heading] of pages.entries()) {
      if (n > 0) {
        await expect(async () => {
          await p.keyboard.press("ArrowRight");
          await expect(p.getByText(heading).first()).toBeVisible({ timeout: 500 });
        }).toPass({ timeout: 30_000 });
      } else await expect(p.getByRole("heading", { name: heading })).toBeVisible();
      await p.evaluate(() => document.fonts.ready);
      await shot(p, `calibration-projector-reveal-${n + 1}-${width}`);
      await expectReadableStage(p, `reveal page ${n + 1}`);
    }
  }

  // The threshold moves the projector's trade live.
  const p = projectors[0]!;
  await expect(async () => {
    await p.keyboard.press("ArrowRight");
    await expect(p.getByText(/made-up subjects/).first()).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 30_000 });
  await expect(p.getByText("The model always answers")).toBeVisible();
  await host.setThreshold(2);
  await expect(p.getByText(/says “not sure” above 2\.0 bits/)).toBeVisible();
  await shot(p, "calibration-projector-threshold-1280");
  await expectReadableStage(p, "the threshold page");
  await shot(hostPage, "calibration-host-revealed-1280");
});
