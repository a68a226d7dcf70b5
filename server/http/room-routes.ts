// HTTP side of the rooms: create a session, look up a code, and the facilitators' review and exports.
import express, { type Request, type Response } from "express";
import type { AuthService } from "../auth/auth-service.ts";
import type { RoomStore } from "../db/room-store.ts";
import { createRoomBody, roomCodeSchema, roomErrorText, type RoomErrorCode, type RoomPublicInfo } from "../protocol/room-protocol.ts";
import type { JoinGuard } from "../rooms/join-guard.ts";
import { joinBase } from "../rooms/join-link.ts";
import type { RoomService } from "../rooms/room-service.ts";
import { sessionCsv, sessionReview } from "../rooms/session-export.ts";
import type { StoredHatGame } from "../hat/hat-records.ts";
import { requireAccount } from "./auth-routes.ts";
import { parseBody, sendOk } from "./respond.ts";

const statusOf: Partial<Record<RoomErrorCode, number>> = {
  bad_code: 400,
  room_not_found: 404,
  rate_limited: 429,
  model_not_found: 400,
  model_unavailable: 503,
};

function sendRoomError(res: Response, code: RoomErrorCode): void {
  res.status(statusOf[code] ?? 400).json({ ok: false, code, message: roomErrorText[code] });
}

export interface RoomRouteDeps {
  auth: AuthService;
  service: RoomService;
  store: RoomStore;
  guard: JoinGuard;
  publicUrl: string | undefined;
  /** The base URL the request came in on. */
  baseUrl: (req: Request) => string;
  /** The room's hat games, for the review and exports. */
  hatGames?: (roomId: string) => Promise<StoredHatGame[]>;
}

const filename = (title: string, code: string, ext: string) => `token-hat-${code}-${title.replace(/[^\w-]+/g, "-").slice(0, 40)}.${ext}`.replace(/-+\./, ".");

export function roomRoutes({ auth, service, store, guard, publicUrl, baseUrl, hatGames }: RoomRouteDeps): express.Router {
  const router = express.Router();

  /** Models the create form can offer. */
  router.get("/rooms/options", async (req, res) => {
    if (!(await requireAccount(auth, req, res, "instructor"))) return;
    const models = service.models().map((m) => ({ id: m.id, name: m.name, kind: m.kind, hasChatTemplate: m.hasChatTemplate }));
    sendOk(res, { models, defaultModel: service.defaultModel() });
  });

  router.post("/rooms", async (req, res) => {
    const owner = await requireAccount(auth, req, res, "instructor");
    if (!owner) return;
    const body = parseBody(createRoomBody, req, res);
    if (!body) return;
    const base = baseUrl(req);
    const created = await service.createRoom({ owner, title: body.title, model: body.model, prompts: body.prompts, joinBase: joinBase(base, publicUrl), pagesBase: base });
    if (!created.ok) return sendRoomError(res, created.code);
    sendOk(res, { room: created.data }, 201);
  });

  /** Past and present sessions, for instructors and facilitators. */
  router.get("/rooms", async (req, res) => {
    if (!(await requireAccount(auth, req, res))) return;
    sendOk(res, { rooms: await store.listRooms() });
  });

  /** What a phone needs before showing the nickname form. Misses count against the address. */
  router.get("/rooms/:code", async (req, res) => {
    const address = req.ip ?? "unknown";
    if (await guard.isBlocked(address)) return sendRoomError(res, "rate_limited");
    const code = roomCodeSchema.safeParse(req.params.code);
    const room = code.success ? await service.room(code.data) : null;
    if (!room) {
      const blocked = await guard.recordMiss(address);
      return sendRoomError(res, blocked ? "rate_limited" : code.success ? "room_not_found" : "bad_code");
    }
    const info: RoomPublicInfo = { code: room.state.meta.code, title: room.state.meta.title, locked: room.state.locked, ended: room.state.phase === "ended" };
    sendOk(res, info);
  });

  async function loadReview(req: Request, res: Response) {
    if (!(await requireAccount(auth, req, res))) return null;
    const code = roomCodeSchema.safeParse(req.params.code);
    const stored = code.success ? await store.loadReview(code.data) : null;
    if (!stored) {
      sendRoomError(res, "room_not_found");
      return null;
    }
    return sessionReview(stored, hatGames ? await hatGames(stored.room.id) : []);
  }

  router.get("/rooms/:code/review", async (req, res) => {
    const review = await loadReview(req, res);
    if (review) sendOk(res, review);
  });

  router.get("/rooms/:code/export.json", async (req, res) => {
    const review = await loadReview(req, res);
    if (!review) return;
    res.attachment(filename(review.room.title, review.room.code, "json")).type("application/json").send(JSON.stringify(review, null, 2));
  });

  router.get("/rooms/:code/export.csv", async (req, res) => {
    const review = await loadReview(req, res);
    if (!review) return;
    // A byte-order mark so spreadsheet programs read the UTF-8 nicknames correctly.
    res.attachment(filename(review.room.title, review.room.code, "csv")).type("text/csv; charset=utf-8").send("\uFEFF" + sessionCsv(review));
  });

  return router;
}
