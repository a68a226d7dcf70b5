// Page objects for the home page and the account pages.
import { expect, type Page } from "@playwright/test";

export class HomePage {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.goto("/");
    await expect(this.page.getByRole("heading", { name: "Token Hat" })).toBeVisible();
  }
  async join(code: string) {
    await this.page.getByLabel("Room code").fill(code);
    await this.page.getByRole("button", { name: "Join" }).click();
  }
  alert() {
    return this.page.getByRole("main").getByRole("alert");
  }
}

export class SetupPage {
  constructor(private readonly page: Page) {}
  async createInstructor(setupUrl: string, who: { name: string; email: string; password: string }) {
    await this.page.goto(setupUrl);
    await this.page.getByLabel("Your name").fill(who.name);
    await this.page.getByLabel("Email").fill(who.email);
    await this.page.getByLabel(/^Password/).fill(who.password);
    await this.page.getByRole("button", { name: "Create instructor account" }).click();
  }
}

export class SignInPage {
  constructor(private readonly page: Page) {}
  async signIn(email: string, password: string) {
    await this.page.goto("/signin");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
  alert() {
    return this.page.getByRole("main").getByRole("alert");
  }
}

export class DashboardPage {
  constructor(private readonly page: Page) {}
  greeting() {
    return this.page.getByRole("heading", { level: 1 });
  }
  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/signin$/);
  }
}
