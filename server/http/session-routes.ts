// HTTP side of sessions: create one, look up a code, the lesson plans, and the facilitators' review
// and exports.
import express, { type Request, type Response } from "express";
import { createSessionBody, type SessionOptions, type SessionPublicInfo } from "../../contract/http/sessions.ts";
import { planBodySchema, type LessonPlan } from "../../contract/protocol/lesson-plan.ts";
import { errorText, roomCodeSchema, type ErrorCode } from "../../contract/protocol/session.ts";
import { templateOptions } from "../activities/hat/hat-views.ts";
import { BUILT_IN_QUESTION_SETS } from "../activities/calibration/question-sets.ts";
import type { AuthService } from "../auth/auth-service.ts";
import { BUILT_IN_PLANS } from "../lesson-plans/built-in-plans.ts";
import type { PlanStore } from "../lesson-plans/plan-store.ts";
import type { JoinGuard } from "../session/join-guard.ts";
import { joinBase } from "../session/join-link.ts";
import type { RoomRouter } from "../session/room-calls.ts";
import type { SessionHost } from "../session/session-host.ts";
import { loadSessionReview, reviewTables, tableCsv, type ReviewDeps } from "../session/session-review.ts";
import { requireAccount } from "./auth-routes.ts";
import { parseBody, sendError, sendOk } from "./respond.ts";

const statusOf: Partial<Record<ErrorCode, number>> = {
  bad_code: 400,
  room_not_found: 404,
  rate_limited: 429,
  model_not_found: 400,
  model_unavailable: 503,
};

function sendSessionError(res: Response, code: ErrorCode): void {
  res.status(statusOf[code] ?? 400).json({ ok: false, code, message: errorText[code] });
}

export interface SessionRouteDeps extends ReviewDeps {
  auth: AuthService;
  host: SessionHost;
  /** Live rooms' answers, from whichever process owns each. */
  rooms: RoomRouter;
  plans: PlanStore;
  guard: JoinGuard;
  publicUrl: string | undefined;
  /** The base URL the request came in on. */
  baseUrl: (req: Request) => string;
  newId: () => string;
  clock: () => Date;
}

const filename = (title: string, code: string, ext: string) => `token-hat-${code}-${title.replace(/[^\w-]+/g, "-").slice(0, 40)}.${ext}`.replace(/-+\./, ".");

export function sessionRoutes(deps: SessionRouteDeps): express.Router {
  const { auth, host, rooms, plans, guard, publicUrl, baseUrl } = deps;
  const router = express.Router();

  async function findPlan(id: string, ownerId: string): Promise<LessonPlan | null> {
    const built = BUILT_IN_PLANS.find((p) => p.id === id);
    if (built) return built;
    const own = await plans.get(id);
    return own && own.ownerId === ownerId ? own : null;
  }

  /** What the create form and the host console offer: models, plans, hat templates. */
  router.get("/sessions/options", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    const options: SessionOptions = {
      models: host.models().map((m) => ({ id: m.id, name: m.name, kind: m.kind, hasChatTemplate: m.hasChatTemplate })),
      defaultModel: host.defaultModel(),
      plans: [...BUILT_IN_PLANS, ...(await plans.list(account.id))].map(({ body: _body, ...summary }) => summary),
      templates: templateOptions(),
      questionSets: [...BUILT_IN_QUESTION_SETS],
    };
    sendOk(res, options);
  });

  router.post("/sessions", async (req, res) => {
    const owner = await requireAccount(auth, req, res, "instructor");
    if (!owner) return;
    const body = parseBody(createSessionBody, req, res);
    if (!body) return;
    const plan = body.planId ? await findPlan(body.planId, owner.id) : null;
    if (body.planId && !plan) return sendError(res, "not_found");
    const base = baseUrl(req);
    const created = await host.create({
      ownerId: owner.id,
      title: body.title,
      ...(body.model ? { model: body.model } : {}),
      prompts: body.prompts,
      plan: plan ? { id: plan.id, ...plan.body } : null,
      joinBase: joinBase(base, publicUrl),
    });
    if (!created.ok) return sendSessionError(res, created.code);
    const meta = created.data.state.session.meta;
    sendOk(
      res,
      { session: { id: meta.id, code: meta.code, title: meta.title, model: { id: meta.model.id, name: meta.model.name }, joinUrl: meta.joinUrl, qrSvg: meta.qrSvg, hostUrl: `${base}/host/${meta.code}`, projectorUrl: `${base}/projector/${meta.code}` } },
      201,
    );
  });

  /** Past and present sessions: an instructor's own; every session for a facilitator. */
  router.get("/sessions", async (req, res) => {
    const account = await requireAccount(auth, req, res);
    if (!account) return;
    sendOk(res, { sessions: await deps.sessions.listSessions(account.role === "instructor" ? account.id : undefined) });
  });

  /** What a phone needs before showing the nickname form. Misses count against the address. */
  router.get("/sessions/:code", async (req, res) => {
    const address = req.ip ?? "unknown";
    if (await guard.isBlocked(address)) return sendSessionError(res, "rate_limited");
    const code = roomCodeSchema.safeParse(req.params.code);
    const found = code.success ? await rooms.call(code.data, { kind: "info" }) : null;
    if (!found) {
      const blocked = await guard.recordMiss(address);
      return sendSessionError(res, blocked ? "rate_limited" : code.success ? "room_not_found" : "bad_code");
    }
    const { ownerId: _owner, ...info } = found;
    sendOk(res, info satisfies SessionPublicInfo);
  });

  /** An instructor reaches only their own sessions; another's answers as if it did not exist. */
  async function review(req: Request, res: Response) {
    const account = await requireAccount(auth, req, res);
    if (!account) return null;
    const code = roomCodeSchema.safeParse(req.params.code);
    const found = code.success ? await loadSessionReview(code.data, deps) : null;
    if (!found || (account.role === "instructor" && found.room.ownerId !== account.id)) {
      sendSessionError(res, "room_not_found");
      return null;
    }
    return found;
  }

  router.get("/sessions/:code/review", async (req, res) => {
    const r = await review(req, res);
    if (r) sendOk(res, { review: r, tables: reviewTables(r, deps.modules).map((t) => ({ name: t.name, rows: t.rows.length })) });
  });

  router.get("/sessions/:code/export.json", async (req, res) => {
    const r = await review(req, res);
    if (r) res.attachment(filename(r.room.title, r.room.code, "json")).type("application/json").send(JSON.stringify(r, null, 2));
  });

  router.get("/sessions/:code/export/:table.csv", async (req, res) => {
    const r = await review(req, res);
    if (!r) return;
    const table = reviewTables(r, deps.modules).find((t) => t.name === req.params.table);
    if (!table) return sendError(res, "not_found");
    res.attachment(filename(r.room.title, `${r.room.code}-${table.name}`, "csv")).type("text/csv; charset=utf-8").send(tableCsv(table));
  });

  /** Deletes a session and every row about its students, for good. Only its instructor may. */
  router.delete("/sessions/:code", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    const code = roomCodeSchema.safeParse(req.params.code);
    const found = code.success ? await rooms.call(code.data, { kind: "info" }) : null;
    if (!found || found.ownerId !== account.id) return sendSessionError(res, "room_not_found");
    await rooms.call(found.code, { kind: "remove" });
    sendOk(res, { deleted: found.code });
  });

  // ---------- lesson plans ----------

  router.get("/plans", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    sendOk(res, { plans: [...BUILT_IN_PLANS, ...(await plans.list(account.id))] });
  });

  router.get("/plans/:id", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    const plan = await findPlan(req.params.id, account.id);
    if (!plan) return sendError(res, "not_found");
    sendOk(res, { plan });
  });

  router.post("/plans", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    const body = parseBody(planBodySchema, req, res);
    if (!body) return;
    sendOk(res, { plan: await plans.create({ id: deps.newId(), ownerId: account.id, body, now: deps.clock().getTime() }) }, 201);
  });

  router.put("/plans/:id", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    const existing = await plans.get(req.params.id);
    if (!existing || existing.ownerId !== account.id) return sendError(res, "not_found");
    const body = parseBody(planBodySchema, req, res);
    if (!body) return;
    sendOk(res, { plan: await plans.update(existing.id, body, deps.clock().getTime()) });
  });

  router.delete("/plans/:id", async (req, res) => {
    const account = await requireAccount(auth, req, res, "instructor");
    if (!account) return;
    const existing = await plans.get(req.params.id);
    if (!existing || existing.ownerId !== account.id) return sendError(res, "not_found");
    await plans.delete(existing.id);
    sendOk(res, { deleted: true });
  });

  return router;
}
