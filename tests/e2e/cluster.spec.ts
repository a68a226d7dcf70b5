// The deployment in docs/deploy.md, in a real browser: three whole Token Hat processes (pages, bundled
// models) on PostgreSQL and a Redis of their own, behind HAProxy with docs/deploy/haproxy.cfg. The
// first-run link one process printed works through the proxy; a round goes on when the room's owner
// is killed (kill -9) mid-round, and its votes and the model's reveal reach every screen.
import pg from "pg";
import { startCluster, type TestCluster } from "../support/cluster.ts";
import { DashboardSessions, HostConsolePage, PhonePage } from "./pages/room-pages.ts";
import { expect, INSTRUCTOR, PHONE, PROJECTOR, shot, test } from "./support/fixtures.ts";

let cluster: TestCluster;
test.beforeAll(async () => {
  test.setTimeout(300_000);
  cluster = await startCluster({ processes: 3, proxy: true, product: true });
});
test.afterAll(async () => {
  await cluster?.stop();
});

test("three processes behind HAProxy: first-run link, a round, the owner killed mid-round, the reveal on every screen", async ({ browser }) => {
  const staff = await browser.newContext({ baseURL: cluster.url, viewport: PROJECTOR });
  const hostPage = await staff.newPage();
  // The last process's link, through the proxy to whichever process it reaches.
  const token = cluster.nodes.at(-1)!.setupToken;
  const setup = await hostPage.request.post("/api/auth/setup", { data: { token, email: INSTRUCTOR.email, name: INSTRUCTOR.name, password: INSTRUCTOR.password } });
  expect(setup.status()).toBe(201);
  const code = await new DashboardSessions(hostPage).createSession("Cluster workshop", ["Once upon a"]);
  const host = new HostConsolePage(hostPage);
  const projector = await staff.newPage();
  await projector.goto(`/projector/${code}`);
  const phones: PhonePage[] = [];
  for (const name of ["Ana", "Ben", "Cleo", "Dev"]) {
    const context = await browser.newContext({ baseURL: cluster.url, viewport: PHONE, isMobile: true, hasTouch: true });
    const phone = new PhonePage(await context.newPage());
    await phone.join(code, name);
    phones.push(phone);
  }
  await expect(projector.getByText("4 in the room")).toBeVisible();

  await host.startPreparedRound(0);
  await phones[0]!.guess("time");
  await phones[1]!.guess("day");
  const db = new pg.Client({ connectionString: cluster.target.env.DATABASE_URL });
  await db.connect();
  const lease = async () => (await db.query(`SELECT "address", "fence" FROM "RoomLease" WHERE "code" = $1`, [code])).rows[0] as { address: string; fence: number };
  const before = await lease();
  await cluster.nodes.find((n) => n.url === before.address)!.kill("SIGKILL");

  // Every phone, those that were on the dead process included, still votes, and keeps its vote.
  await phones[2]!.guess("Bourne");
  await phones[3]!.guess("time");
  await expect(projector.getByText("4 of 4")).toBeVisible({ timeout: 30_000 });
  const after = await lease();
  await db.end();
  expect(after.address).not.toBe(before.address);
  expect(after.fence).toBe(before.fence + 1);
  await expect(phones[0]!.voteStatus()).toContainText("time");
  await expect(phones[1]!.voteStatus()).toContainText("day");
  await shot(projector, "cluster-projector-after-failover-1280");
  await shot(phones[1]!.page, "cluster-phone-after-failover-360");

  await host.closeRound();
  await expect(projector.getByRole("heading", { name: /The class guessed \(4 votes\)/ })).toBeVisible();
  for (const phone of phones) await expect(phone.page.getByText("Your surprise")).toBeVisible();
  await shot(projector, "cluster-projector-reveal-1280");
});
