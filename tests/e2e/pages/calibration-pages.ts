// Page objects for the calibration game: the host's panel and a phone's answer screen.
import { expect, type Page } from "@playwright/test";

export class HostCalibrationPanel {
  constructor(readonly page: Page) {}
  panel() {
    return this.page.getByRole("region", { name: "Calibration game" });
  }
  async start(setTitle: string) {
    await this.page.getByRole("tab", { name: "Calibration game" }).click();
    const form = this.page.getByRole("form", { name: "Start a calibration game" });
    await form.getByLabel("Questions").selectOption({ label: setTitle });
    await form.getByRole("button", { name: "Start the calibration game" }).click();
    await expect(this.panel().getByText(/^Question 1 of \d+/)).toBeVisible();
  }
  async next(n: number) {
    await this.panel().getByRole("button", { name: "Next question" }).click();
    await expect(this.panel().getByText(new RegExp(`^Question ${n} of \\d+`))).toBeVisible();
  }
  async reveal() {
    await this.panel().getByRole("button", { name: "Show the reveal" }).click();
    await expect(this.panel().getByText("Revealed")).toBeVisible();
  }
  async setThreshold(bits: number) {
    const box = this.panel().getByLabel("Let the model say “not sure”");
    if (!(await box.isChecked())) await box.check();
    await this.panel().getByLabel("Threshold in bits").fill(String(bits));
  }
}

export class PhoneCalibrationPage {
  constructor(readonly page: Page) {}
  /** Picks or types the answer, taps a confidence (null: "I don't know"), and sees it sent. */
  async answer(answer: string, confidence: number | null) {
    const form = this.page.getByRole("form", { name: "Answer the question" });
    await expect(form).toBeVisible();
    const choices = form.getByRole("group", { name: "Answers to pick from" });
    if (answer) {
      if (await choices.count()) await choices.getByRole("button", { name: answer, exact: true }).click();
      else await form.getByLabel("Your answer").fill(answer);
    }
    await form.getByRole("button", { name: confidence === null ? "I don't know" : `${confidence}%`, exact: true }).click();
    await expect(form.getByText(/^Sent: /)).toBeVisible();
  }
  question() {
    return this.page.getByRole("form", { name: "Answer the question" }).getByRole("heading");
  }
}
