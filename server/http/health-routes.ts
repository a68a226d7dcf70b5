import express from "express";
import type { Database } from "../db/database.ts";
import type { InferencePort } from "../../contract/inference/port.ts";
import type { TrainingData } from "../training-data/training-data.ts";

export interface HealthDeps {
  db: Database;
  inference: InferencePort | null;
  trainingData: TrainingData | null;
  /** True once pages can be served (Next.js prepared). */
  pagesReady: () => boolean;
  /** On several processes: this one's id, the rooms it owns and the sockets it holds. */
  cluster?: () => { process: string; rooms: number; sockets: number };
}

export function healthRoutes({ db, inference, trainingData, pagesReady, cluster }: HealthDeps): express.Router {
  const router = express.Router();
  router.get("/health", async (_req, res) => {
    const dbOk = await db.ping();
    const inferenceStatus = inference?.status() ?? null;
    const ready = dbOk && pagesReady() && inferenceStatus?.state !== "starting";
    res.status(ready ? 200 : 503).json({
      status: ready ? "ok" : "starting",
      database: {
        kind: db.kind,
        ok: dbOk,
        migrations: db.migrations
          ? { state: "up_to_date", total: db.migrations.total, appliedAtStart: db.migrations.applied }
          : { state: "not_run" },
      },
      pages: pagesReady() ? "ready" : "starting",
      inference: inferenceStatus
        ? {
            state: inferenceStatus.state,
            provider: inferenceStatus.provider,
            defaultModel: inferenceStatus.defaultModel,
            models: inferenceStatus.models.map((m) => ({ id: m.id, name: m.name, kind: m.kind })),
            restarts: inferenceStatus.restarts,
            error: inferenceStatus.error,
          }
        : { state: "not_configured" },
      trainingData: trainingData?.status() ?? { state: "not_configured" },
      ...(cluster ? { cluster: cluster() } : {}),
    });
  });
  return router;
}
