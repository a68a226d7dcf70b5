// npm run bench:room: N simulated phones (socket.io clients on loopback) against one Token Hat
// server in a child process, so clients and server do not share an event loop. For each N it
// measures join time, vote ack latency, vote → updated count on every phone, close → reveal on
// every phone, server RSS and lost votes. A bare socket.io echo server (also a child process)
// answering the same burst of acks is the baseline for this machine. Writes bench/results/room.json.
//
//   npm run bench:room                      N = 100, 500, 1000
//   npm run bench:room -- --sizes 50,200    other sizes
//   BENCH_PROFILE=1 npm run bench:room      also writes CPU profiles of both servers to /tmp/room-prof
//
// The server uses the fake inference port: this measures the room machinery (sockets, rules,
// database writes), not the model, which bench:inference covers.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Server as SocketServer } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { createApplication } from "../server/app.ts";
import { openDatabase } from "../server/db/database.ts";
import { FakeInference } from "../server/inference/fake.ts";
import { createLogger } from "../server/logger.ts";
import { createJoinGuard } from "../server/session/join-guard.ts";
import { fmt, markdownTable, pool, summarize, writeResults, type Summary } from "./bench-kit.ts";
import { GUESS_EVENTS, type GuessView } from "../contract/protocol/guess.ts";
import { PROTOCOL_VERSION, SESSION_EVENTS, SESSION_NAMESPACE, type Ack, type HostSnapshot, type SessionCounts, type SessionSnapshot } from "../contract/protocol/session.ts";

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), "..");
const WORDS = ["mat", "dog", "hat", "cat", "red", "big", "sat", "ran"];
const PROBES = 5;
/** Real classes do not vote in one instant: the measured wave spreads votes over this window. */
const SPREAD_MS = 5000;
const TARGETS = { ackP99Ms: 100, revealAllMs: 500 };

// ---------- child processes ----------

type ChildMessage = { type: "ready"; url: string; code?: string; cookie?: string } | { type: "rss"; rss: number };

/** Runs the real server with a fresh PGlite database, creates an instructor and a room, reports the URL. */
async function serveRoom(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-room-"));
  const db = await openDatabase({ DATA_DIR: dataDir }, { migrate: true });
  const app = createApplication({
    env: {},
    db,
    inference: new FakeInference(),
    logger: createLogger("error", false),
    clock: () => new Date(),
    joinGuard: createJoinGuard({ missesPer10Min: 100_000, blockSeconds: 1, joinsPerRoomPer10Min: 100_000 }),
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const token = await app.auth.issueSetupToken();
  const setup = await fetch(`${url}/api/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, email: "bench@example.org", name: "Bench", password: "bench-password" }),
  });
  const cookie = setup.headers.get("set-cookie")!.split(";")[0]!;
  const created = await fetch(`${url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ title: "Bench" }) });
  const { data } = (await created.json()) as { data: { session: { code: string } } };
  serveRss();
  process.send!({ type: "ready", url, code: data.session.code, cookie } satisfies ChildMessage);
  process.on("disconnect", () => {
    void app.close().then(() => db.close()).finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** The floor: socket.io with nothing behind the ack. */
async function serveEcho(): Promise<void> {
  const httpServer = createServer();
  const io = new SocketServer(httpServer, { serveClient: false });
  io.of(SESSION_NAMESPACE).on("connection", (socket) => socket.on("echo", (payload: unknown, ack: (r: unknown) => void) => ack({ ok: true, data: payload })));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  serveRss();
  process.send!({ type: "ready", url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` } satisfies ChildMessage);
  process.on("disconnect", () => process.exit(0));
}

function serveRss(): void {
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50).unref();
  process.on("message", (m: { type: string }) => {
    if (m.type === "rss") process.send!({ type: "rss", rss: Math.max(peak, process.memoryUsage().rss) } satisfies ChildMessage);
  });
}

interface Child {
  process: ChildProcess;
  ready: Extract<ChildMessage, { type: "ready" }>;
  rss(): Promise<number>;
  stop(): Promise<void>;
}

async function startChild(mode: "--serve" | "--echo"): Promise<Child> {
  const child = fork(here, [mode], { execArgv: ["--import", "tsx", ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/room-prof"] : [])], cwd: repoRoot, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = await new Promise<Extract<ChildMessage, { type: "ready" }>>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${mode} child exited with ${code}`)));
    child.on("message", (m: ChildMessage) => m.type === "ready" && resolve(m));
  });
  return {
    process: child,
    ready,
    rss: () =>
      new Promise((resolve) => {
        const onMessage = (m: ChildMessage) => {
          if (m.type !== "rss") return;
          child.off("message", onMessage);
          resolve(m.rss);
        };
        child.on("message", onMessage);
        child.send({ type: "rss" });
      }),
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.disconnect();
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

// ---------- measuring ----------

const roundOf = (s: SessionSnapshot | null) => (s?.activity?.kind === "guess" ? (s.activity.view as GuessView).round : null);

interface Phone {
  socket: Socket;
  snapshot: SessionSnapshot | null;
  counts: SessionCounts | null;
  onChange: (() => void) | null;
}

function phone(url: string, auth: Record<string, unknown>, cookie?: string): Phone {
  const socket = connect(`${url}${SESSION_NAMESPACE}`, { auth, transports: ["websocket"], forceNew: true, reconnection: false, ...(cookie ? { extraHeaders: { cookie } } : {}) });
  const p: Phone = { socket, snapshot: null, counts: null, onChange: null };
  socket.on(SESSION_EVENTS.snapshot, (s: SessionSnapshot) => {
    p.snapshot = s;
    p.onChange?.();
  });
  socket.on(SESSION_EVENTS.counts, (c: SessionCounts) => {
    p.counts = c;
    p.onChange?.();
  });
  return p;
}

const onceConnected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });

async function emit<T>(socket: Socket, event: string, payload?: unknown): Promise<{ ack: Ack<T>; ms: number }> {
  const t = performance.now();
  const ack = (await socket.timeout(60_000).emitWithAck(event, payload)) as Ack<T>;
  return { ack, ms: performance.now() - t };
}

/** Time until every phone's state passes `test`, measured from `since`; resolves with each phone's arrival. */
function arrivals(phones: Phone[], test: (p: Phone) => boolean, since: number, timeoutMs = 60_000): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const times = new Array<number>(phones.length).fill(-1);
    let left = phones.length;
    const timer = setTimeout(() => reject(new Error(`${left} phones never got the update`)), timeoutMs);
    const check = (i: number) => {
      if (times[i]! >= 0 || !test(phones[i]!)) return;
      times[i] = performance.now() - since;
      if (--left === 0) {
        clearTimeout(timer);
        for (const p of phones) p.onChange = null;
        resolve(times);
      }
    };
    phones.forEach((p, i) => {
      p.onChange = () => check(i);
      check(i);
    });
  });
}

interface RoomResult {
  n: number;
  joinMs: Summary;
  joinAllMs: number;
  voteAckMs: Summary;
  burstAckMs: Summary;
  voteAckFailures: number;
  countAllMs: Summary;
  revealAllMs: number;
  revealP50Ms: number;
  serverRssMb: number;
  votesAcked: number;
  votesStored: number;
  votersInReveal: number;
  lostVotes: number;
}

async function benchRoom(n: number): Promise<RoomResult> {
  const server = await startChild("--serve");
  const { url, code, cookie } = server.ready;
  const host = phone(url, { protocolVersion: PROTOCOL_VERSION, code, role: "host" }, cookie);
  await onceConnected(host.socket);

  // Joins: connect + nickname + ack, 100 phones in flight at a time.
  const total = n + PROBES;
  const t0 = performance.now();
  const joined = await pool(Array.from({ length: total }, (_, i) => i), 100, async (i) => {
    const t = performance.now();
    const p = phone(url, { protocolVersion: PROTOCOL_VERSION, code });
    await onceConnected(p.socket);
    const { ack } = await emit(p.socket, SESSION_EVENTS.join, { nickname: `Student ${i + 1}` });
    if (!ack.ok) throw new Error(`join failed: ${ack.code}`);
    return { p, ms: performance.now() - t };
  });
  const joinAllMs = performance.now() - t0;
  const phones = joined.map((j) => j.p);
  const crowd = phones.slice(0, n);
  const probes = phones.slice(n);

  const start = await emit<{ snapshot: HostSnapshot }>(host.socket, SESSION_EVENTS.start, { kind: "guess", input: { mode: "round", prompt: "the cat sat on the" } });
  if (!start.ack.ok) throw new Error(`start failed: ${start.ack.code}`);
  await arrivals(phones, (p) => roundOf(p.snapshot)?.status === "voting", performance.now());

  let acked = 0;
  let failures = 0;
  const vote = async (p: Phone, word: string, into: number[]) => {
    const r = await emit(p.socket, GUESS_EVENTS.vote, { guess: word });
    into.push(r.ms);
    if (r.ack.ok) acked++;
    else failures++;
  };
  // The measured wave: every phone votes once at a random moment within SPREAD_MS, and a third
  // of them change their vote a little later, as a class does after a minute of thinking.
  const ackMs: number[] = [];
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.all(
    crowd.map(async (p, i) => {
      await later(Math.random() * SPREAD_MS);
      await vote(p, WORDS[i % WORDS.length]!, ackMs);
      if (i % 3 === 0) {
        await later(Math.random() * 1000);
        await vote(p, WORDS[(i + 3) % WORDS.length]!, ackMs);
      }
    }),
  );
  // The stress case: every phone changes its vote in the same instant.
  const burstMs: number[] = [];
  await Promise.all(crowd.map((p, i) => vote(p, WORDS[(i + 1) % WORDS.length]!, burstMs)));

  // Probes: one new vote at a time; how long until every phone shows the new count.
  const countMs: number[] = [];
  let expected = n;
  await arrivals(phones, (p) => (p.counts?.activity?.counts.votes ?? 0) >= expected, performance.now());
  for (const probe of probes) {
    expected += 1;
    const since = performance.now();
    const seen = arrivals(phones, (p) => (p.counts?.activity?.counts.votes ?? 0) >= expected, since);
    await vote(probe, "dog", ackMs);
    countMs.push(Math.max(...(await seen)));
  }

  // Reveal: from the host's close to the reveal on every phone.
  const since = performance.now();
  const revealed = arrivals(phones, (p) => roundOf(p.snapshot)?.status === "revealed", since);
  const closed = await emit<{ snapshot: HostSnapshot }>(host.socket, GUESS_EVENTS.close);
  const revealTimes = await revealed;
  if (!closed.ack.ok) throw new Error(`close failed: ${closed.ack.code}`);

  const review = (await (await fetch(`${url}/api/sessions/${code}/review`, { headers: { cookie: cookie! } })).json()) as { data: { review: { rounds: { votes: unknown[] }[] } } };
  const votesStored = review.data.review.rounds[0]!.votes.length;
  const votersInReveal = roundOf(closed.ack.data.snapshot)!.reveal!.metrics.voters;
  const rss = await server.rss();

  for (const p of [...phones, host]) p.socket.close();
  await server.stop();
  return {
    n,
    joinMs: summarize(joined.map((j) => j.ms)),
    joinAllMs,
    voteAckMs: summarize(ackMs),
    burstAckMs: summarize(burstMs),
    voteAckFailures: failures,
    countAllMs: summarize(countMs),
    revealAllMs: Math.max(...revealTimes),
    revealP50Ms: summarize(revealTimes).p50,
    serverRssMb: rss / 2 ** 20,
    votesAcked: acked,
    votesStored,
    votersInReveal,
    // An acked vote missing from the database, or a phone missing from the reveal, is lost.
    lostVotes: Math.max(0, acked - votesStored) + Math.max(0, total - votersInReveal),
  };
}

interface EchoResult {
  n: number;
  ackMs: Summary;
  serverRssMb: number;
}

async function benchEcho(n: number): Promise<EchoResult> {
  const server = await startChild("--echo");
  const phones = await pool(Array.from({ length: n }, (_, i) => i), 100, async () => {
    const p = phone(server.ready.url, {});
    await onceConnected(p.socket);
    return p;
  });
  const ms = await Promise.all(phones.map(async (p, i) => (await emit(p.socket, "echo", { guess: WORDS[i % WORDS.length] })).ms));
  const rss = await server.rss();
  for (const p of phones) p.socket.close();
  await server.stop();
  return { n, ackMs: summarize(ms), serverRssMb: rss / 2 ** 20 };
}

// ---------- report ----------

const f = fmt;

function table(rooms: RoomResult[], echoes: EchoResult[]): string {
  const head = ["N", "join p50/p95 ms", "all joined s", "vote ack p50/p95/p99 ms", "burst: echo p50/p99 ms", "burst: vote p50/p99 ms", "count→all p50/max ms", "reveal→all p50/max ms", "RSS MB", "lost"];
  const rows = rooms.map((r, i) => {
    const e = echoes[i]!;
    return [
      String(r.n),
      `${f(r.joinMs.p50)}/${f(r.joinMs.p95)}`,
      (r.joinAllMs / 1000).toFixed(1),
      `${f(r.voteAckMs.p50)}/${f(r.voteAckMs.p95)}/${f(r.voteAckMs.p99)}`,
      `${f(e.ackMs.p50)}/${f(e.ackMs.p99)}`,
      `${f(r.burstAckMs.p50)}/${f(r.burstAckMs.p99)}`,
      `${f(r.countAllMs.p50)}/${f(r.countAllMs.max)}`,
      `${f(r.revealP50Ms)}/${f(r.revealAllMs)}`,
      f(r.serverRssMb),
      String(r.lostVotes),
    ];
  });
  return markdownTable(head, rows);
}

async function main(): Promise<void> {
  const sizesArg = process.argv.indexOf("--sizes");
  console.error(`load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const sizes = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(",").map(Number) : [100, 500, 1000];
  const rooms: RoomResult[] = [];
  const echoes: EchoResult[] = [];
  for (const n of sizes) {
    console.error(`bench:room N=${n}: echo baseline...`);
    echoes.push(await benchEcho(n));
    console.error(`bench:room N=${n}: room...`);
    rooms.push(await benchRoom(n));
  }
  console.log(table(rooms, echoes));
  const largest = rooms.at(-1)!;
  const verdict = {
    ackP99Ms: { target: TARGETS.ackP99Ms, measured: largest.voteAckMs.p99, met: largest.voteAckMs.p99 <= TARGETS.ackP99Ms },
    revealAllMs: { target: TARGETS.revealAllMs, measured: largest.revealAllMs, met: largest.revealAllMs <= TARGETS.revealAllMs },
    lostVotes: { target: 0, measured: rooms.reduce((s, r) => s + r.lostVotes, 0), met: rooms.every((r) => r.lostVotes === 0) },
  };
  console.log(`\nAt N=${largest.n}: ack p99 ${f(largest.voteAckMs.p99)} ms (target ≤ ${TARGETS.ackP99Ms}), reveal on all phones ${f(largest.revealAllMs)} ms (target ≤ ${TARGETS.revealAllMs}), lost votes ${verdict.lostVotes.measured}.`);
  writeResults("room", {
    setup: {
      transport: "websocket",
      database: "pglite",
      inference: "fake",
      joinConcurrency: 100,
      voteWave: `each phone votes once at a random moment within ${SPREAD_MS} ms; every third phone changes its vote up to 1 s later`,
      burst: "every phone changes its vote at the same instant (compare with the echo baseline, same burst)",
      countProbes: `${PROBES} single votes after the wave; time until every phone shows the new count`,
    },
    targets: verdict,
    baseline: echoes,
    rooms,
  });
  if (!verdict.lostVotes.met) process.exitCode = 1;
}

const mode = process.argv[2];
const run = mode === "--serve" ? serveRoom : mode === "--echo" ? serveEcho : main;
run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
