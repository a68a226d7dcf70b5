import express from "express";
import { z } from "zod";
import type { TrainingData } from "../training-data/training-data.ts";
import { sendError, sendOk } from "./respond.ts";

const query = z.object({ q: z.string().trim().min(1).max(200), examples: z.coerce.number().int().min(0).max(20).default(5) });

/** GET /api/training-data/search?q=Albert+Einstein: how often the bundled models' training text holds a phrase. */
export function trainingDataRoutes(trainingData: TrainingData): express.Router {
  const router = express.Router();
  router.get("/training-data/search", (req, res) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) return sendError(res, "bad_request", { q: "Give a word or phrase of up to 200 characters." });
    const started = performance.now();
    const result = trainingData.search(parsed.data.q, parsed.data.examples);
    if (!result) return sendError(res, "index_unavailable");
    sendOk(res, { query: parsed.data.q, ...result, tookMs: Math.round((performance.now() - started) * 100) / 100 });
  });
  return router;
}
