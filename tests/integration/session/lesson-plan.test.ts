// The bundled lesson plan on the bundled models: the host presses Next through every step, every
// role reloads at every step and lands on the live activity, and a server restart mid-plan resumes
// on the same step.
import path from "node:path";
import { CALIBRATION_EVENTS, type CalibrationView } from "../../../contract/protocol/calibration.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUESS_EVENTS } from "../../../contract/protocol/guess.ts";
import { HAT_EVENTS } from "../../../contract/protocol/hat.ts";
import { SESSION_EVENTS, type HostSnapshot, type SessionSnapshot } from "../../../contract/protocol/session.ts";
import type { InferencePort } from "../../../contract/inference/port.ts";
import { createInference } from "../../../server/inference/index.ts";
import { createLogger } from "../../../server/logger.ts";
import { ANATOMY_PLAN } from "../../../server/lesson-plans/built-in-plans.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { createSession, createTestDatabase, expectOk, hatMineOf, hatOf, instructorCookie, joinedPlayer, roundOf, sessionClient, startServer, type SessionClient, type TestServer } from "./session-kit.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("the bundled lesson plan, step by step", () => {
  let target: TestDatabaseTarget;
  let server: TestServer;
  let inference: InferencePort;
  let cookie: string;
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    inference = createInference({ registryPath: path.join(ROOT, "models", "registry.json"), providers: ["cpu"], timeoutMs: 60_000, logger: createLogger("silent", false) });
    target = await createTestDatabase("pglite");
    server = await startServer(target, inference);
    cookie = await instructorCookie(server);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await inference.close();
    await target.drop();
  });

  /** Opens a fresh socket for each role, as a reload would, and checks each lands on the live activity. */
  async function reloadEveryRole(code: string, token: string, want: { kind: string; id: string }) {
    const fresh = [sessionClient(server.url, code, { role: "host", cookie }), sessionClient(server.url, code, { role: "projector", cookie }), sessionClient(server.url, code, { participantToken: token })];
    try {
      const snaps = await Promise.all(fresh.map((c) => c.waitForSnapshot(() => true, 60_000)));
      for (const s of snaps) expect(s.activity).toMatchObject(want);
      const phone = snaps[2]!;
      expect(phone.viewer === "player" && phone.me?.nickname).toBe("Ann");
    } finally {
      for (const c of fresh) c.close();
    }
  }

  it("runs all steps with reloads everywhere, and resumes on the same step after a restart", async () => {
    const session = await createSession(server, cookie, { title: "Anatomy", planId: ANATOMY_PLAN.id });
    const host = sessionClient(server.url, session.code, { role: "host", cookie });
    clients.push(host);
    const first = (await host.waitForSnapshot((s) => s.viewer === "host")) as HostSnapshot;
    expect(first.plan).toHaveLength(ANATOMY_PLAN.steps);
    expect(first.activity).toBeNull();
    const ann = await joinedPlayer(server.url, session.code, "Ann");
    const ben = await joinedPlayer(server.url, session.code, "Ben");
    clients.push(ann, ben);

    const steps = ANATOMY_PLAN.body.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const next = await expectOk(host.emit<{ snapshot: HostSnapshot }>(SESSION_EVENTS.next));
      const activity = next.snapshot.activity!;
      expect(activity.kind).toBe(step.kind);
      expect(next.snapshot.session.plan?.step).toBe(i + 1);
      expect(next.snapshot.plan![i]).toMatchObject({ current: true, notes: step.notes });

      await reloadEveryRole(session.code, ann.token, { kind: activity.kind, id: activity.id });

      // Play the step a little, then finish it so Next can go on.
      if (activity.kind === "guess") {
        const round = roundOf(next.snapshot)!;
        expect(round.status).toBe("voting");
        if (round.kind === "guess") {
          await expectOk(ann.emit(GUESS_EVENTS.vote, { guess: "time" }));
          await expectOk(host.emit(GUESS_EVENTS.close));
          await expectOk(host.emit(GUESS_EVENTS.pick, { how: "model_top" }));
        } else {
          await expectOk(ann.emit(GUESS_EVENTS.predict, { side: "b" }));
          const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
          expect(roundOf(closed.snapshot)!.compare!.predictions.surer).toMatch(/^[ab]$/);
        }
      } else if (activity.kind === "hat") {
        const game = hatOf(next.snapshot)!.game;
        expect(game.status).toBe("running");
        const ready = await ann.waitForSnapshot((s: SessionSnapshot) => hatMineOf(s)?.phase === "ready", 60_000);
        await expectOk(ann.emit(HAT_EVENTS.draw, { gameId: game.id, blank: hatMineOf(ready)!.blank }));
        await expectOk(host.emit(SESSION_EVENTS.finish));
      } else if (activity.kind === "calibration") {
        const view = activity.view as CalibrationView;
        expect(view.status).toBe("asking");
        await expectOk(ann.emit(CALIBRATION_EVENTS.answer, { gameId: view.gameId, question: 0, answer: "Oslo", confidence: 90 }));
        const revealed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(SESSION_EVENTS.finish));
        expect((revealed.snapshot.activity!.view as CalibrationView).reveal!.class).toMatchObject({ answered: 1, right: 1 });
      }

      if (i === 7) {
        // The host's laptop restarts mid-plan: the plan resumes on the same step.
        const port = server.port;
        await server.stop();
        server = await startServer(target, inference, { port });
        const back = (await host.waitForSnapshot((s) => s.viewer === "host" && s.session.plan?.step === i + 1 && s.activity?.id === activity.id, 60_000)) as HostSnapshot;
        expect(back.plan![i]!.current).toBe(true);
        await reloadEveryRole(session.code, ann.token, { kind: activity.kind, id: activity.id });
      }
    }
    expect(await host.emit(SESSION_EVENTS.next)).toMatchObject({ ok: false, code: "plan_done" });
    await expectOk(host.emit(SESSION_EVENTS.end));
    const projector = sessionClient(server.url, session.code, { role: "projector", cookie });
    clients.push(projector);
    const end = await projector.waitForSnapshot(() => true);
    expect(end.finale?.find((f) => f.kind === "guess")).toBeTruthy();
  }, 600_000);
});
