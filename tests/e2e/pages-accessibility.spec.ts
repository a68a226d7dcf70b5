// Runs after foundation.spec.ts (files run in name order), which creates the first instructor through the setup page.
// Every page, scanned with axe-core (WCAG 2 A and AA rules) as a class and its teacher see it:
// no serious or critical violation on any of them.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { HostConsolePage, PhonePage } from "./pages/room-pages.ts";
import { baseUrl, expect, PHONE, PROJECTOR, signInInstructor, test } from "./support/fixtures.ts";

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(report, `axe on ${what}`).toEqual([]);
}

test("every page passes axe-core without serious or critical violations", async ({ browser }) => {
  const anonymous = await (await browser.newContext({ baseURL: baseUrl(), viewport: PHONE })).newPage();
  for (const [url, what] of [
    ["/", "home"],
    ["/signin", "sign-in"],
    ["/setup?token=used", "setup"],
    ["/invite?token=nope", "invite"],
  ] as const) {
    await anonymous.goto(url);
    await anonymous.waitForLoadState("networkidle");
    await expectNoSeriousViolations(anonymous, what);
  }
  // The explorer, once its model runs (the full page: prompt, tokens, distribution, hat).
  await anonymous.goto("/explore");
  await expect(anonymous.getByText(/Computed on this phone in \d+ ms/)).toBeVisible({ timeout: 60_000 });
  await expectNoSeriousViolations(anonymous, "explorer");

  const staff = await browser.newContext({ baseURL: baseUrl(), viewport: PROJECTOR });
  const hostPage = await staff.newPage();
  await signInInstructor(hostPage);
  await hostPage.goto("/dashboard");
  await expectNoSeriousViolations(hostPage, "dashboard");
  await hostPage.goto("/plans");
  await hostPage.getByRole("button", { name: "Copy to edit" }).first().click();
  await expectNoSeriousViolations(hostPage, "lesson plans");

  const r = await hostPage.request.post("/api/sessions", { data: { title: "Accessibility", prompts: ["Once upon a"] } });
  const code = ((await r.json()) as { data: { session: { code: string } } }).data.session.code;
  const host = new HostConsolePage(hostPage);
  await host.open(code);
  const projector = await staff.newPage();
  await projector.goto(`/projector/${code}`);
  const phone = new PhonePage(await (await browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true })).newPage());
  await phone.page.goto(`/join/${code}`);
  await expectNoSeriousViolations(phone.page, "join");
  await phone.join(code, "Ana");
  await expectNoSeriousViolations(projector, "projector lobby");

  await host.startPreparedRound(0);
  await phone.guess("time");
  await expectNoSeriousViolations(phone.page, "phone voting");
  await expectNoSeriousViolations(hostPage, "host console voting");
  await expectNoSeriousViolations(projector, "projector voting");
  await host.closeRound();
  await expectNoSeriousViolations(phone.page, "phone reveal");
  await expectNoSeriousViolations(projector, "projector reveal");
  await expectNoSeriousViolations(hostPage, "host console reveal");
  await host.endSession();
  await hostPage.goto(`/review/${code}`);
  await expect(hostPage.getByRole("region", { name: "Round 1" })).toBeVisible();
  await expectNoSeriousViolations(hostPage, "review");
});
