// One process of a test cluster, run as its own OS process so tests can kill -9 or freeze it: the
// whole application (sockets, HTTP API, rooms) on PostgreSQL and Redis from the environment, with the
// fake model and a one-line page handler instead of Next.js. Prints one JSON line when listening.
import type { AddressInfo } from "node:net";
import { createApplication } from "../../server/app.ts";
import { clusterFromEnv } from "../../server/cluster/cluster.ts";
import { openDatabase } from "../../server/db/database.ts";
import { loadEnv } from "../../server/env.ts";
import { FakeInference } from "../../server/inference/fake.ts";
import { createLogger } from "../../server/logger.ts";
import { createJoinGuard } from "../../server/session/join-guard.ts";

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL, false);
// The test migrated the database once before starting the processes.
const db = await openDatabase(env, { migrate: false });
let port = env.PORT;
const cluster = await clusterFromEnv(env, db.prisma, logger, () => port);
// bench:cluster's phones all come from 127.0.0.1: it lifts the per-address join ceiling.
const ceiling = Number(process.env.TEST_JOIN_CEILING ?? 0);
const joinGuard = ceiling ? createJoinGuard({ joinsPerRoomPer10Min: ceiling, missesPer10Min: ceiling }, cluster?.limiters) : undefined;
const app = createApplication({ env, db, inference: new FakeInference(), logger, clock: () => new Date(), cluster, roomCapacity: env.ROOM_CAPACITY, ...(joinGuard ? { joinGuard } : {}) });
app.setPages({
  handle: async (_req, res) => void res.end("pages are not part of this test process"),
  upgrade: async (_req, socket) => void socket.destroy(),
});
await new Promise<void>((resolve) => app.httpServer.listen(env.PORT, env.HOST, resolve));
port = (app.httpServer.address() as AddressInfo).port;
const setupToken = await app.auth.issueSetupToken();
console.log(JSON.stringify({ ready: true, pid: process.pid, port, setupToken }));
process.on("SIGTERM", () => void app.close().then(() => db.close()).finally(() => process.exit(0)));
