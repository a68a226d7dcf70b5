import { DashboardPage, HomePage, SetupPage, SignInPage } from "./pages/account-pages.ts";
import { expect, INSTRUCTOR, PHONE, PROJECTOR, shot, test } from "./support/fixtures.ts";

test.describe.configure({ mode: "serial" });

test("first-run setup creates the instructor, who can sign out and sign in again", async ({ page }) => {
  const setupUrl = process.env.E2E_SETUP_URL;
  expect(setupUrl, "the server prints a setup link on first start").toBeTruthy();
  await page.setViewportSize(PROJECTOR);
  await page.goto(setupUrl!);
  await shot(page, "setup-1280");
  await new SetupPage(page).createInstructor(setupUrl!, INSTRUCTOR);
  const dashboard = new DashboardPage(page);
  await expect(dashboard.greeting()).toHaveText(`Hello, ${INSTRUCTOR.name}`);
  await shot(page, "dashboard-1280");

  await dashboard.signOut();
  const signIn = new SignInPage(page);
  await signIn.signIn(INSTRUCTOR.email, "not the password");
  await expect(signIn.alert()).toContainText("do not match");
  await shot(page, "signin-error-1280");
  await signIn.signIn(INSTRUCTOR.email, INSTRUCTOR.password);
  await expect(dashboard.greeting()).toHaveText(`Hello, ${INSTRUCTOR.name}`);
});

test("a used setup link says so before anyone fills in the form", async ({ page }) => {
  await page.goto(process.env.E2E_SETUP_URL!);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Setup is already done");
  await expect(page.getByLabel("Your name")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Sign in instead" })).toBeVisible();
});

test("the home page fits a 360 px phone and explains an unknown room code", async ({ page }) => {
  await page.setViewportSize(PHONE);
  const home = new HomePage(page);
  await home.open();
  const input = page.getByLabel("Room code");
  const box = await input.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(48);
  expect(box!.width).toBeLessThanOrEqual(PHONE.width);
  const fontSize = await input.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(fontSize, "16 px or more stops phones zooming on focus").toBeGreaterThanOrEqual(16);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await shot(page, "home-360");
  await home.join("7kq-4mx");
  await expect(home.alert()).toContainText("No room has the code 7KQ4MX");
  // A code with a character codes never use is told so, true to what was typed.
  await home.join("ABCDEF");
  await expect(home.alert()).toContainText("Room codes never use B");
  await shot(page, "home-unknown-code-360");
});
