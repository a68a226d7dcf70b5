// Page objects for a live session: the instructor's console, the projector and a phone.
import { expect, type Page } from "@playwright/test";

export class DashboardSessions {
  constructor(private readonly page: Page) {}
  async createSession(title: string, prompts: string[]): Promise<string> {
    await this.page.goto("/dashboard");
    const form = this.page.getByRole("region", { name: "Start a live session" });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel(/Prepared prompts/).fill(prompts.join("\n"));
    await form.getByRole("button", { name: "Create the room" }).click();
    await expect(this.page).toHaveURL(/\/host\/[A-Z0-9]{6}$/);
    return this.page.url().split("/").pop()!;
  }
}

export class HostConsolePage {
  constructor(readonly page: Page) {}
  async open(code: string) {
    await this.page.goto(`/host/${code}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  async startPreparedRound(index: number) {
    const panel = this.page.getByRole("region", { name: "Start a round" });
    await panel.getByRole("combobox").first().selectOption(String(index));
    await panel.getByRole("button", { name: "Start guess round" }).click();
  }
  async continueText() {
    await this.page.getByRole("region", { name: "Start a round" }).getByRole("button", { name: "Next token of our text" }).click();
  }
  /** Opens one of the host console's "start something" tabs (Guess round, Hat game, Slide). */
  async startTab(name: string) {
    await this.page.getByRole("tab", { name }).click();
  }
  async finishCurrent() {
    await this.page.getByRole("button", { name: /^Finish / }).click();
  }
  async expectVotes(n: number) {
    await expect(this.page.getByRole("heading", { name: new RegExp(`${n} votes?$`) })).toBeVisible();
  }
  async closeRound() {
    await this.page.getByRole("button", { name: "Close and reveal" }).click();
    await expect(this.page.getByRole("region", { name: "Choose the next token" })).toBeVisible();
  }
  async pick(how: "Class favourite" | "Model's top token" | "Sample from the model") {
    await this.page.getByRole("region", { name: "Choose the next token" }).getByRole("button", { name: how }).click();
    await expect(this.page.getByRole("region", { name: "Start a round" })).toBeVisible();
  }
  /** Reveals a compare round after the phones predicted. */
  async revealCompare() {
    await this.page.getByRole("button", { name: "Close and reveal" }).click();
    await expect(this.page.getByRole("button", { name: "Close and reveal" })).toHaveCount(0);
  }
  async compareTwoPrompts(a: string, b: string) {
    const panel = this.page.getByRole("region", { name: "Start a round" });
    await panel.getByRole("textbox").first().fill(a);
    await panel.getByText("Compare two distributions").click();
    await panel.getByLabel("Compare what").selectOption("prompts");
    await panel.getByLabel("Prompt B").fill(b);
    await panel.getByRole("button", { name: "Show the comparison" }).click();
  }
  async endSession() {
    this.page.once("dialog", (d) => void d.accept());
    await this.page.getByRole("button", { name: "End session" }).click();
    await expect(this.page.getByText("This session has ended")).toBeVisible();
  }
}

export class PhonePage {
  constructor(readonly page: Page) {}
  async join(code: string, nickname: string) {
    await this.page.goto(`/join/${code}`);
    await this.page.getByLabel("Your nickname").fill(nickname);
    await this.page.getByRole("button", { name: "Join the class" }).click();
    await expect(this.page.getByText(`You are ${nickname}`)).toBeVisible();
  }
  async guess(word: string) {
    const input = this.page.getByLabel("What comes next?");
    await input.fill(word);
    // The live preview says how the guess tokenizes before it is sent.
    await expect(this.page.locator("p[aria-live=polite]").filter({ hasText: word }).filter({ hasText: "token" })).toBeVisible();
    await this.page.getByRole("button", { name: /Send my guess|Change my vote/ }).click();
    await expect(this.page.getByText("Vote saved")).toBeVisible();
  }
  voteStatus() {
    return this.page.getByRole("status").filter({ hasText: "Vote saved" });
  }
  reveal() {
    return this.page.getByRole("region", { name: "The reveal" }).or(this.page.getByText("The reveal"));
  }
}
