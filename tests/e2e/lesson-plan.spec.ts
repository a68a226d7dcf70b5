// The bundled lesson plan, run cold as a teacher would: a host console, a projector at 1280×720 and
// one at 1920×1080, and four phones at 360 px. At every step the projectors and a phone reload and
// must land on the live step, and both projectors must be readable from the back of the room.
import type { Browser, Page } from "@playwright/test";
import { HostCalibrationPanel, PhoneCalibrationPage } from "./pages/calibration-pages.ts";
import { HostHatPanel, PhoneHatPage } from "./pages/hat-pages.ts";
import { HostConsolePage, PhonePage } from "./pages/room-pages.ts";
import { baseUrl, expect, expectReadableStage, PHONE, PROJECTOR, PROJECTOR_HD, shot, signInInstructor, test } from "./support/fixtures.ts";

test.setTimeout(900_000);

async function phone(browser: Browser): Promise<PhonePage> {
  const context = await browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true, hasTouch: true });
  return new PhonePage(await context.newPage());
}

const GUESSES = [["time", "day", "time", "dog"], ["Paris", "Paris", "London", "Rome"], ["was", "lived", "the", "was"], ["and", "he", "was", "a"]];

test("the bundled lesson plan from the dashboard to the facilitator's review, with reloads everywhere", async ({ browser }) => {
  const staff = await browser.newContext({ baseURL: baseUrl(), viewport: PROJECTOR });
  const hostPage = await staff.newPage();
  await signInInstructor(hostPage);
  await hostPage.goto("/dashboard");
  const form = hostPage.getByRole("region", { name: "Start a live session" });
  await form.getByLabel("Title").fill("Anatomy of a hallucination");
  await form.getByLabel("Lesson plan").selectOption("built-in:anatomy");
  await form.getByRole("button", { name: "Create the room" }).click();
  await expect(hostPage).toHaveURL(/\/host\/[A-Z0-9]{6}$/);
  const code = hostPage.url().split("/").pop()!;
  const host = new HostConsolePage(hostPage);
  // The box follows the server's state, so it shows ticked once the server has it.
  await hostPage.getByLabel(/^Leaderboard/).click();
  await expect(hostPage.getByLabel(/^Leaderboard/)).toBeChecked();

  const projectors: Page[] = [];
  for (const size of [PROJECTOR, PROJECTOR_HD]) {
    const p = await staff.newPage();
    await p.setViewportSize(size);
    await p.goto(`/projector/${code}`);
    projectors.push(p);
  }
  await expect(projectors[0]!.getByText("Join on your phone")).toBeVisible();

  const phones: PhonePage[] = [];
  for (const name of ["Ana", "Ben", "Ben", "Zoë 🐟"]) {
    const p = await phone(browser);
    await p.page.goto(`/join/${code}`);
    await p.page.getByLabel("Your nickname").fill(name);
    await p.page.getByRole("button", { name: "Join the class" }).click();
    await expect(p.page.getByText(/^You are /)).toBeVisible();
    phones.push(p);
  }
  // Two Bens: the second is told the name it got.
  await expect(phones[2]!.page.getByText("You are Ben 2")).toBeVisible();
  for (const p of projectors) await expect(p.getByText("Ben 2")).toBeVisible();
  await checkProjectors(projectors, "lobby");

  let guessRound = 0;
  for (let step = 1; step <= 30; step++) {
    const next = hostPage.getByRole("region", { name: "Lesson plan" }).getByRole("button", { name: /^Next: / });
    if ((await next.count()) === 0) break;
    const summary = (await next.innerText()).replace(/^Next: /, "");
    await next.click();
    await expect(hostPage.getByText(`Now: ${summary}`)).toBeVisible();
    // Presenter notes are on the host console only.
    const notes = await hostPage.getByRole("region", { name: "Lesson plan" }).locator("p.whitespace-pre-line").first().innerText();
    for (const p of projectors) await expect(p.getByText(notes.slice(0, 40), { exact: false })).toHaveCount(0);

    // A reload at any moment lands on the live step.
    for (const p of projectors) await p.reload();
    await phones[3]!.page.reload();

    if (summary.startsWith("Slide: ")) {
      const title = summary.slice("Slide: ".length);
      for (const p of projectors) await expect(p.getByRole("heading", { name: title })).toBeVisible();
      await expect(phones[3]!.page.getByText("Look up at the screen.")).toBeVisible();
      await checkProjectors(projectors, `step ${step} slide`);
    } else if (summary.startsWith("Guess: ")) {
      const words = GUESSES[guessRound++ % GUESSES.length]!;
      for (const p of projectors) await expect(p.getByText(/what comes next\?/)).toBeVisible();
      await checkProjectors(projectors, `step ${step} voting`);
      for (const [i, p] of phones.entries()) await p.guess(words[i]!);
      for (const p of projectors) await expect(p.getByText("4 of 4")).toBeVisible();
      await shot(phones[0]!.page, `plan-${step}-phone-voted-360`);
      await host.closeRound();
      for (const p of projectors) await expect(p.getByText(/The class guessed \(4 votes\)/)).toBeVisible();
      await phones[3]!.page.reload();
      await expect(phones[3]!.page.getByText("Your surprise")).toBeVisible();
      await shot(phones[3]!.page, `plan-${step}-phone-reveal-360`);
      await checkProjectors(projectors, `step ${step} reveal`);
      await host.pick(guessRound % 2 ? "Model's top token" : "Class favourite");
      for (const p of projectors) await expect(p.getByText(/The text we are writing/)).toBeVisible();
      await checkProjectors(projectors, `step ${step} written text`);
    } else if (summary.startsWith("Hat: ")) {
      const hat = new HostHatPanel(hostPage);
      for (const p of projectors) await expect(p.getByText(/^Mad Libs: /)).toBeVisible();
      for (let blank = 1; ; blank++) {
        if (blank === 1) {
          // The dial reshapes the hat on the projector before anyone draws.
          await new PhoneHatPage(phones[0]!.page).expectHat();
          await hat.setTemperature(1.8);
          for (const p of projectors) await expect(p.getByText(/temperature 1\.8/)).toBeVisible();
          await checkProjectors(projectors, `step ${step} hat, blank 1 at temperature 1.8`);
          await hat.setTemperature(1);
        }
        for (const p of phones) {
          const ph = new PhoneHatPage(p.page);
          await ph.expectHat();
          await ph.draw();
        }
        if (blank === 1) await shot(phones[1]!.page, `plan-${step}-phone-slip-360`);
        const open = hat.panel().getByRole("button", { name: `Open blank ${blank + 1}` });
        if ((await open.count()) === 0) break;
        // Everyone drew: the projector shows the stories so far.
        for (const p of projectors) await expect(p.getByText(/Still drawing \(4\)/)).toBeVisible();
        if (blank === 1) await checkProjectors(projectors, `step ${step} hat, stories after blank 1`);
        await hat.openNextBlank(blank + 1);
      }
      for (const p of projectors) await expect(p.getByText(/Finished stories \(4\)/)).toBeVisible();
      await checkProjectors(projectors, `step ${step} hat stories`);
      await hat.finish();
    } else if (summary.startsWith("Compare")) {
      for (const p of projectors) await expect(p.getByText(/^A: /)).toBeVisible();
      await checkProjectors(projectors, `step ${step} compare, predicting`);
      for (const [i, p] of phones.entries()) {
        await p.page.getByRole("button", { name: i % 2 ? /^B:/ : /^A:/ }).click();
        await expect(p.page.getByText("your pick ✓")).toBeVisible();
      }
      await host.revealCompare();
      for (const p of projectors) await expect(p.getByText(/The model is surer about [AB]\./)).toBeVisible();
      await expect(phones[0]!.page.getByText(/The model was surer about/)).toBeVisible();
      await checkProjectors(projectors, `step ${step} compare, revealed`);
    } else if (summary.startsWith("Explore on your own: ")) {
      for (const p of projectors) await expect(p.getByRole("heading", { name: /Explore on your own/ })).toBeVisible();
      await checkProjectors(projectors, `step ${step} explore`);
      await expect(phones[0]!.page.getByText(/Computed on this phone in \d+ ms/)).toBeVisible({ timeout: 60_000 });
      await shot(phones[0]!.page, `plan-${step}-phone-explore-360`);
    } else if (summary.startsWith("Calibration: ")) {
      const cal = new HostCalibrationPanel(hostPage);
      for (const p of projectors) await expect(p.getByText(/question 1 of 5/)).toBeVisible();
      await checkProjectors(projectors, `step ${step} calibration question`);
      for (let q = 0; q < 5; q++) {
        if (q > 0) await cal.next(q + 1);
        for (const [i, p] of phones.entries()) await new PhoneCalibrationPage(p.page).answer(q === 2 ? (i % 2 ? "Yes" : "No") : "Oslo", i === 3 ? null : 60 + 10 * i);
      }
      await cal.reveal();
      for (const p of projectors) await expect(p.getByRole("heading", { name: "The class" })).toBeVisible();
      await checkProjectors(projectors, `step ${step} calibration reveal`);
      await shot(phones[0]!.page, `plan-${step}-phone-calibration-360`);
    } else {
      throw new Error(`a plan step this test does not know: ${summary}`);
    }
  }
  await expect(hostPage.getByText("That was the last step.")).toBeVisible();

  await host.endSession();
  for (const p of projectors) await p.reload();
  for (const p of projectors) await expect(p.getByRole("heading", { name: /What we wrote, token by token/ })).toBeVisible();
  await checkProjectors(projectors, "the end");
  // The end pages turn by themselves; the arrow keys turn them too. Every page fits the screen.
  for (const p of projectors) {
    await expect(async () => {
      await p.keyboard.press("ArrowRight");
      await expect(p.getByRole("heading", { name: "The podium" })).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 60_000 });
  }
  await checkProjectors(projectors, "the podium");
  for (const p of projectors) {
    await expect(async () => {
      await p.keyboard.press("ArrowRight");
      await expect(p.getByRole("heading", { name: /^Stories from the hat/ }).first()).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 60_000 });
  }
  await checkProjectors(projectors, "the stories at the end");
  for (const p of projectors) {
    await expect(async () => {
      await p.keyboard.press("ArrowRight");
      await expect(p.getByRole("heading", { name: /^Calibration: Quick five/ })).toBeVisible({ timeout: 500 });
    }).toPass({ timeout: 60_000 });
  }
  await checkProjectors(projectors, "the calibration at the end");
  await expect(phones[0]!.page.getByText("end of the session")).toBeVisible();

  // A facilitator reviews the session.
  const created = await hostPage.request.post("/api/accounts", {
    data: { email: "fran@example.org", name: "Fran Facilitator", role: "facilitator", password: "facilitate this please" },
  });
  expect(created.ok()).toBe(true);
  const review = await (await browser.newContext({ baseURL: baseUrl(), viewport: PROJECTOR })).newPage();
  await review.request.post("/api/auth/signin", { data: { email: "fran@example.org", password: "facilitate this please" } });
  await review.goto(`/review/${code}`);
  await expect(review.getByRole("heading", { name: /Anatomy of a hallucination/ })).toBeVisible();
  await shot(review, "plan-review-1280");
});

let shotNumber = 0;
async function checkProjectors(projectors: Page[], what: string): Promise<void> {
  shotNumber++;
  for (const p of projectors) {
    const size = p.viewportSize()!;
    // Fonts and the QR code settle before measuring.
    await p.evaluate(() => document.fonts.ready);
    await shot(p, `plan-${String(shotNumber).padStart(2, "0")}-projector-${size.width}-${what.replace(/[^a-z0-9]+/gi, "-")}`);
    await expectReadableStage(p, what);
  }
}
