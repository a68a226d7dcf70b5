// Page objects for the hat game: the host's hat panel and a phone's hat.
import { expect, type Page } from "@playwright/test";

export class HostHatPanel {
  constructor(readonly page: Page) {}
  async start(templateTitle: string) {
    await this.page.getByRole("tab", { name: "Hat game" }).click();
    const form = this.page.getByRole("form", { name: "Start a hat game" });
    await form.getByLabel("Template").selectOption({ label: templateTitle });
    await form.getByRole("button", { name: "Start the hat game" }).click();
    await expect(this.panel()).toBeVisible();
  }
  panel() {
    return this.page.getByRole("region", { name: "Hat game" });
  }
  async setTopP(value: number) {
    await this.panel().getByLabel(/^Top-p/).fill(String(value));
  }
  async setTemperature(value: number) {
    await this.panel().getByLabel(/^Temperature/).fill(String(value));
  }
  async openNextBlank(n: number) {
    await this.panel().getByRole("button", { name: `Open blank ${n}` }).click();
    await expect(this.panel().getByText(new RegExp(`Blank ${n} of \\d+ open`))).toBeVisible();
  }
  async finish() {
    await this.page.getByRole("button", { name: "Finish hat game" }).click();
    await expect(this.panel().getByText("Finished")).toBeVisible();
  }
}

export class PhoneHatPage {
  constructor(readonly page: Page) {}
  hat() {
    return this.page.getByRole("region", { name: "Your hat" });
  }
  story() {
    return this.page.getByRole("region", { name: "Your story" });
  }
  async expectHat() {
    await expect(this.hat()).toBeVisible();
    await expect(this.hat().getByRole("img", { name: /A hat of 100 slips/ })).toBeVisible();
    await expect(this.hat().getByText("slips of 10,000")).toBeVisible();
  }
  /** Taps "Draw a slip", sees the slip revealed, and returns what it said. */
  async draw(): Promise<string> {
    await this.hat().getByRole("button", { name: "Draw a slip" }).click();
    const slip = this.page.getByRole("region", { name: "Your slip" });
    await expect(slip).toBeVisible();
    return (await slip.locator("p.font-mono").innerText()).trim();
  }
}
