// A real cluster on loopback for tests and bench:cluster: a private Redis (so it can be restarted
// without disturbing anything else), N server processes (tests/support/cluster-node.mts, or the whole
// product) on one PostgreSQL database, and HAProxy in front with the config from docs/deploy/haproxy.cfg.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { openDatabase } from "../../server/db/database.ts";
import { createTestDatabase, type TestDatabaseTarget } from "./databases.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const HAPROXY_CONFIG = path.join(ROOT, "docs/deploy/haproxy.cfg");
export const TEST_CLUSTER_SECRET = "test-cluster-secret-0123456789";

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForLine(child: ChildProcess, test: (line: string) => boolean, what: string, timeoutMs = 60_000): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  let output = "";
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs} ms: ${output.slice(-2000)}`)), timeoutMs);
    child.once("exit", (code, signal) => reject(new Error(`${what} exited (${code ?? signal}) before it was ready: ${output.slice(-2000)}`)));
    lines.on("line", (line) => {
      output += line + "\n";
      if (!test(line)) return;
      clearTimeout(timer);
      resolve(line);
    });
  });
}

export interface RedisServer {
  url: string;
  /** Starts it again on the same port, empty (it keeps nothing on disk). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of our own on a free port, keeping nothing on disk. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
    await waitForLine(child, (l) => l.includes("Ready to accept connections"), "redis-server", 10_000);
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await once(child, "exit");
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  pid: number;
  setupToken: string | null;
  child: ChildProcess;
  /** Everything it has logged so far. */
  log(): string;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface TestCluster {
  target: TestDatabaseTarget;
  redis: RedisServer;
  nodes: ClusterNode[];
  /** The proxy's URL: where phones connect. */
  url: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  processes: number;
  /** HAProxy in front (up to three processes, as in docs/deploy/haproxy.cfg). */
  proxy?: boolean;
  logLevel?: string;
  roomCapacity?: number;
  /** Without Redis: one process on its own, as the embedded default runs (the baseline). */
  redis?: boolean;
  /** Joins one address may make into one room (bench:cluster's phones share 127.0.0.1). */
  joinCeiling?: number;
  /** The whole product (server/main.ts: pages, bundled models) instead of cluster-node; needs `npm run build`. */
  product?: boolean;
}

async function startNode(name: string, env: Record<string, string>, product = false): Promise<ClusterNode> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, product ? "server/main.ts" : "tests/support/cluster-node.mts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const ready = product ? await productReady(child, `http://127.0.0.1:${port}`, () => output, name) : (JSON.parse(await waitForLine(child, (l) => l.startsWith('{"ready":true'), name)) as { pid: number; setupToken: string | null });
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: ready.pid,
    setupToken: ready.setupToken,
    child,
    log: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal = "SIGKILL") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill(signal);
      if (signal === "SIGKILL" || signal === "SIGTERM") await exited;
    },
  };
}

/** The product is ready when its health check passes (models loaded, pages built); it prints its setup link. */
async function productReady(child: ChildProcess, url: string, output: () => string, name: string): Promise<{ pid: number; setupToken: string | null }> {
  const deadline = Date.now() + 180_000;
  while (!(await fetch(`${url}/api/health`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start: ${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { pid: child.pid!, setupToken: /\/setup\?token=(\S+)/.exec(output())?.[1] ?? null };
}

export async function startCluster(options: ClusterOptions): Promise<TestCluster> {
  const target = await createTestDatabase("postgres");
  // Migrated once here, so the processes do not race to migrate.
  const db = await openDatabase(target.env, { migrate: true });
  await db.close();
  const redis = await startRedis();
  const proxyPort = options.proxy ? await freePort() : 0;
  const env = {
    ...(options.proxy && options.product ? { PUBLIC_URL: `http://127.0.0.1:${proxyPort}` } : {}),
    DATABASE_URL: target.env.DATABASE_URL!,
    DATA_DIR: target.env.DATA_DIR,
    ...(options.redis === false ? {} : { REDIS_URL: redis.url, CLUSTER_SECRET: TEST_CLUSTER_SECRET }),
    LOG_LEVEL: options.logLevel ?? process.env.TEST_LOG_LEVEL ?? "warn",
    ROOM_CAPACITY: String(options.roomCapacity ?? 1000),
    ...(options.joinCeiling ? { TEST_JOIN_CEILING: String(options.joinCeiling) } : {}),
  };
  const nodes = await Promise.all(Array.from({ length: options.processes }, (_, i) => startNode(`app${i + 1}`, env, options.product)));
  let proxy: ChildProcess | null = null;
  let url = nodes[0]!.url;
  if (options.proxy) {
    const port = proxyPort;
    const servers = Object.fromEntries([0, 1, 2].map((i) => [`TOKEN_HAT_APP${i + 1}`, `127.0.0.1:${(nodes[i] ?? nodes[0]!).port}`]));
    proxy = spawn("haproxy", ["-db", "-f", HAPROXY_CONFIG], { env: { ...process.env, TOKEN_HAT_BIND: `127.0.0.1:${port}`, ...servers }, stdio: ["ignore", "pipe", "pipe"] });
    url = `http://127.0.0.1:${port}`;
    let said = "";
    proxy.stderr!.on("data", (d: Buffer) => (said += d.toString()));
    // Ready once every process passes its health check through it.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline || proxy.exitCode !== null) throw new Error(`haproxy did not come up: ${said.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 2_500));
  }
  return {
    target,
    redis,
    nodes,
    url,
    async stop() {
      proxy?.kill("SIGKILL");
      for (const n of nodes) {
        if (n.child.signalCode === "SIGSTOP" || !n.alive()) n.child.kill("SIGCONT");
        await n.kill("SIGKILL");
      }
      await redis.stop();
      await target.drop();
    },
  };
}

/** The instructor's session cookie, made with the setup link the first process printed. */
export async function clusterInstructor(cluster: TestCluster): Promise<string> {
  // The link one process printed, used on another: first-run links live in the database.
  const first = cluster.nodes.find((n) => n.setupToken)!;
  const other = cluster.nodes.find((n) => n !== first) ?? first;
  const res = await fetch(`${other.url}/api/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: first.setupToken, email: "ada@example.org", name: "Ada", password: "correct horse" }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`no session cookie (${res.status})`);
  return cookie;
}
