// npm run bench:cluster: one room of 5,000 phones on 1, 2 and 4 server processes (Redis + PostgreSQL),
// against the single process without Redis measured in the same run (the baseline). The phones are
// socket.io clients in two load-generator processes, spread evenly over the server processes. For
// each setup: join time, vote ack p50/p95/p99 over a wave in which every phone votes once within 5 s,
// time from the host's close to the reveal on every phone, lost votes (acknowledged but not stored,
// or missing from the reveal), peak memory of each server process, and how busy the two cores were.
// Writes bench/results/cluster.json.
//
//   npm run bench:cluster                         2,000 and 5,000 phones; 1 (no Redis), 1, 2, 4 processes
//   npm run bench:cluster -- --phones 1000 --processes 1,2
//
// The server uses the fake inference port: this measures rooms across processes, not the model.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { io as connect, type Socket } from "socket.io-client";
import { GUESS_EVENTS, type GuessView } from "../contract/protocol/guess.ts";
import { PROTOCOL_VERSION, SESSION_EVENTS, SESSION_NAMESPACE, type Ack, type SessionSnapshot } from "../contract/protocol/session.ts";
import { clusterInstructor, startCluster, type TestCluster } from "../tests/support/cluster.ts";
import { fmt, markdownTable, pool, summarize, writeResults, type Summary } from "./bench-kit.ts";
import { repoRoot } from "./bench-model.ts";

const here = fileURLToPath(import.meta.url);
const WORDS = ["mat", "dog", "hat", "cat", "red", "big", "sat", "ran"];
const GENERATORS = 2;
const SPREAD_MS = 5_000;
const TARGETS = { ackP99Ms: 150, revealAllMs: 1_000 };
const now = () => performance.timeOrigin + performance.now();

// ---------- load generators (child processes) ----------

type ToGenerator =
  | { type: "join"; urls: string[]; code: string; count: number; first: number }
  | { type: "armVoting" }
  | { type: "vote" }
  | { type: "armReveal" }
  | { type: "close" };
type FromGenerator =
  | { type: "joined"; joinMs: number[]; failed: number }
  | { type: "voting"; missing: number; last: number; seen: string[] }
  | { type: "voted"; ackMs: number[]; acked: number; failed: number }
  | { type: "armed" }
  | { type: "revealed"; at: number[]; disconnected: number };

const roundOf = (s: SessionSnapshot | null) => (s?.activity?.kind === "guess" ? (s.activity.view as GuessView).round : null);

interface Phone {
  url: string;
  socket: Socket;
  snapshot: SessionSnapshot | null;
  onSnapshot: (() => void) | null;
}

function openPhone(url: string, auth: object, cookie?: string): Phone {
  const socket = connect(`${url}${SESSION_NAMESPACE}`, { auth, transports: ["websocket"], forceNew: true, reconnection: false, ...(cookie ? { extraHeaders: { cookie } } : {}) });
  const p: Phone = { url, socket, snapshot: null, onSnapshot: null };
  socket.on(SESSION_EVENTS.snapshot, (s: SessionSnapshot) => {
    if (p.snapshot && s.seq < p.snapshot.seq) return;
    p.snapshot = s;
    p.onSnapshot?.();
  });
  return p;
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });

async function emit<T>(socket: Socket, event: string, payload?: unknown): Promise<{ ack: Ack<T> | null; ms: number }> {
  const t = now();
  const ack = (await socket.timeout(60_000).emitWithAck(event, payload).catch(() => null)) as Ack<T> | null;
  return { ack, ms: now() - t };
}

/** When each phone's snapshot first passes `test` (absolute ms); NaN for a phone that never got it. */
function arrivals(phones: Phone[], test: (s: SessionSnapshot | null) => boolean, timeoutMs = 60_000): Promise<number[]> {
  return new Promise((resolve) => {
    const at = new Array<number>(phones.length).fill(-1);
    let left = phones.length;
    const done = () => {
      clearTimeout(timer);
      for (const p of phones) p.onSnapshot = null;
      resolve(at.map((t) => (t < 0 ? NaN : t)));
    };
    const timer = setTimeout(done, timeoutMs);
    const check = (i: number) => {
      if (at[i]! >= 0 || !test(phones[i]!.snapshot)) return;
      at[i] = now();
      if (--left === 0) done();
    };
    phones.forEach((p, i) => {
      p.onSnapshot = () => check(i);
      check(i);
    });
  });
}

function generator(): void {
  let phones: Phone[] = [];
  const send = (m: FromGenerator) => process.send!(m);
  process.on("message", async (m: ToGenerator) => {
    if (m.type === "join") {
      let failed = 0;
      const joined = await pool(Array.from({ length: m.count }, (_, i) => m.first + i), 50, async (i) => {
        const t = now();
        const p = openPhone(m.urls[i % m.urls.length]!, { protocolVersion: PROTOCOL_VERSION, code: m.code });
        try {
          await connected(p.socket);
          const { ack } = await emit(p.socket, SESSION_EVENTS.join, { nickname: `Phone ${i + 1}` });
          if (!ack?.ok) failed++;
        } catch {
          failed++;
        }
        return { p, ms: now() - t };
      });
      phones = joined.map((j) => j.p);
      send({ type: "joined", joinMs: joined.map((j) => j.ms), failed });
    } else if (m.type === "armVoting") {
      const at = await arrivals(phones, (s) => roundOf(s)?.status === "voting", 180_000);
      const lost = phones.filter((_, i) => Number.isNaN(at[i]!));
      const seen = lost.slice(0, 3).map((p) => `${p.url} connected=${p.socket.connected} status=${roundOf(p.snapshot)?.status ?? "none"} activity=${p.snapshot?.activity?.id ?? "none"} seq=${p.snapshot?.seq}`);
      send({ type: "voting", missing: lost.length, last: Math.max(...at.filter((t) => !Number.isNaN(t))), seen });
    } else if (m.type === "vote") {
      const ackMs: number[] = [];
      let acked = 0;
      let failed = 0;
      await Promise.all(
        phones.map(async (p, i) => {
          await new Promise((r) => setTimeout(r, Math.random() * SPREAD_MS));
          const r = await emit(p.socket, GUESS_EVENTS.vote, { guess: WORDS[i % WORDS.length] });
          ackMs.push(r.ms);
          if (r.ack?.ok) acked++;
          else failed++;
        }),
      );
      send({ type: "voted", ackMs, acked, failed });
    } else if (m.type === "armReveal") {
      const revealed = arrivals(phones, (s) => roundOf(s)?.status === "revealed");
      send({ type: "armed" });
      send({ type: "revealed", at: await revealed, disconnected: phones.filter((p) => !p.socket.connected).length });
    } else if (m.type === "close") {
      for (const p of phones) p.socket.close();
      process.exit(0);
    }
  });
}

// ---------- the coordinator ----------

interface Gen {
  child: ChildProcess;
  next<T extends FromGenerator["type"]>(type: T): Promise<Extract<FromGenerator, { type: T }>>;
  send(m: ToGenerator): void;
}

function startGenerator(): Gen {
  const child = fork(here, ["--generate"], { execArgv: ["--import", "tsx"], cwd: repoRoot, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const queue: FromGenerator[] = [];
  const waiting: ((m: FromGenerator) => void)[] = [];
  child.on("message", (m: FromGenerator) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  return {
    child,
    send: (m) => child.send(m),
    next: async (type) => {
      const m = queue.shift() ?? (await new Promise<FromGenerator>((resolve) => waiting.push(resolve)));
      if (m.type !== type) throw new Error(`generator sent ${m.type}, expected ${type}`);
      return m as never;
    },
  };
}

/** Peak resident memory of a process, from the kernel. */
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

/** The machine's CPU time so far: busy and total jiffies over all cores. */
function cpuTimes(): { busy: number; total: number } {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  const idle = n[3]! + n[4]!;
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU seconds (user + system) the processes have used so far. */
function cpuOf(pids: number[]): number {
  const tick = 100; // USER_HZ on Linux
  return pids.reduce((sum, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return sum + (Number(fields[11]) + Number(fields[12])) / tick;
  }, 0);
}

interface Result {
  setup: string;
  processes: number;
  redis: boolean;
  phones: number;
  joinAllS: number;
  joinMs: Summary;
  joinFailures: number;
  voteAckMs: Summary;
  voteFailures: number;
  revealAllMs: number;
  revealP50Ms: number;
  /** Phones that never saw the reveal (within a minute), and phones whose connection dropped (the server's heartbeat gave up on them). */
  phonesWithoutReveal: number;
  phonesDisconnected: number;
  /** CPU time during the vote wave and reveal, by role: the rest of the machine's busy time is PostgreSQL and Redis. */
  cpuSeconds: { servers: number; loadGenerators: number };
  votesAcked: number;
  votesStored: number;
  votersInReveal: number;
  lostVotes: number;
  rssMbPerProcess: number[];
  /** Share of both cores busy during the vote wave, all processes together (100 = saturated). */
  cpuBusyPct: number;
}

async function benchSetup(processes: number, redis: boolean, phones: number): Promise<Result> {
  const setup = redis ? `${processes} process${processes > 1 ? "es" : ""} + Redis` : "1 process, no Redis (baseline)";
  console.error(`bench:cluster ${setup}: starting...`);
  const cluster: TestCluster = await startCluster({ processes, redis, roomCapacity: phones + 10, joinCeiling: phones * 2, logLevel: process.env.BENCH_LOG_LEVEL ?? "error" });
  const gens: Gen[] = [];
  try {
    const cookie = await clusterInstructor(cluster);
    const first = cluster.nodes[0]!;
    const created = await fetch(`${first.url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ title: "Bench", prompts: ["the cat sat on the"] }) });
    const code = ((await created.json()) as { data: { session: { code: string } } }).data.session.code;
    const host = openPhone(first.url, { protocolVersion: PROTOCOL_VERSION, code, role: "host" }, cookie);
    await connected(host.socket);

    const urls = cluster.nodes.map((n) => n.url);
    const per = Math.ceil(phones / GENERATORS);
    for (let g = 0; g < GENERATORS; g++) gens.push(startGenerator());
    const t0 = now();
    gens.forEach((g, i) => g.send({ type: "join", urls, code, count: Math.min(per, phones - i * per), first: i * per }));
    const joined = await Promise.all(gens.map((g) => g.next("joined")));
    const joinAllS = (now() - t0) / 1000;
    console.error(`  ${phones} phones joined in ${joinAllS.toFixed(1)} s (${joined.reduce((n, j) => n + j.failed, 0)} failed)`);

    for (const g of gens) g.send({ type: "armVoting" });
    const startedAt = now();
    const started = await emit(host.socket, SESSION_EVENTS.start, { kind: "guess", input: { mode: "round", prompt: "the cat sat on the" } });
    if (!started.ack?.ok) throw new Error(`start failed: ${JSON.stringify(started.ack)}`);
    const opened = await Promise.all(gens.map((g) => g.next("voting")));
    const missing = opened.reduce((n, v) => n + v.missing, 0);
    const openAllMs = Math.max(...opened.map((v) => v.last)) - startedAt;
    console.error(`  the round open on every phone after ${fmt(openAllMs)} ms${missing ? `; ${missing} phones never saw it` : ""}`);
    if (missing) {
      for (const line of opened.flatMap((v) => v.seen)) console.error(`    ${line}`);
      const noted = cluster.nodes.map((n) => `${n.url}: ${n.log().split("\n").filter((l) => /warn|error|lease|took/i.test(l)).slice(-5).join("\n      ")}`);
      console.error(`    server logs:\n      ${noted.join("\n      ")}`);
    }

    const cpu0 = cpuTimes();
    const cpuServers0 = cpuOf(cluster.nodes.map((n) => n.pid));
    const cpuGens0 = cpuOf(gens.map((g) => g.child.pid!));
    for (const g of gens) g.send({ type: "vote" });
    const voted = await Promise.all(gens.map((g) => g.next("voted")));
    const cpu1 = cpuTimes();
    console.error(`  votes: ${voted.reduce((n, v) => n + v.acked, 0)} acknowledged`);
    await new Promise((r) => setTimeout(r, 1_000));

    for (const g of gens) g.send({ type: "armReveal" });
    await Promise.all(gens.map((g) => g.next("armed")));
    const since = now();
    const closed = await emit<{ snapshot: SessionSnapshot }>(host.socket, GUESS_EVENTS.close);
    const reveals = await Promise.all(gens.map((g) => g.next("revealed")));
    const revealed = reveals.flatMap((r) => r.at.map((t) => t - since));
    const disconnected = reveals.reduce((n, r) => n + r.disconnected, 0);
    const unrevealed = revealed.filter((t) => Number.isNaN(t)).length;
    if (!closed.ack?.ok) throw new Error(`close failed: ${JSON.stringify(closed.ack)}`);
    const votersInReveal = roundOf(closed.ack.data.snapshot)!.reveal!.metrics.voters;

    const db = new pg.Client({ connectionString: cluster.target.env.DATABASE_URL });
    await db.connect();
    const votesStored = Number((await db.query(`SELECT count(*) FROM "Vote" v JOIN "Round" r ON r."id" = v."roundId" JOIN "Room" s ON s."id" = r."roomId" WHERE s."code" = $1`, [code])).rows[0].count);
    await db.end();
    const votesAcked = voted.reduce((n, v) => n + v.acked, 0);
    const rssMbPerProcess = cluster.nodes.map((n) => peakRssMb(n.pid));
    host.socket.close();
    return {
      setup,
      processes,
      redis,
      phones,
      joinAllS,
      joinMs: summarize(joined.flatMap((j) => j.joinMs)),
      joinFailures: joined.reduce((n, j) => n + j.failed, 0),
      voteAckMs: summarize(voted.flatMap((v) => v.ackMs)),
      voteFailures: voted.reduce((n, v) => n + v.failed, 0),
      revealAllMs: unrevealed ? Infinity : Math.max(...revealed),
      revealP50Ms: summarize(revealed.filter((t) => !Number.isNaN(t))).p50,
      phonesWithoutReveal: unrevealed,
      phonesDisconnected: disconnected,
      cpuSeconds: { servers: cpuOf(cluster.nodes.map((n) => n.pid)) - cpuServers0, loadGenerators: cpuOf(gens.map((g) => g.child.pid!)) - cpuGens0 },
      votesAcked,
      votesStored,
      votersInReveal,
      lostVotes: Math.max(0, votesAcked - votesStored) + Math.max(0, votesAcked - votersInReveal),
      rssMbPerProcess,
      cpuBusyPct: (100 * (cpu1.busy - cpu0.busy)) / (cpu1.total - cpu0.total),
    };
  } finally {
    for (const g of gens) g.send({ type: "close" });
    await cluster.stop();
  }
}

const f = fmt;

function table(results: Result[]): string {
  const base = results[0]!;
  const head = ["setup", "phones", "joined s", "vote ack p50/p95/p99 ms", "p99 × baseline", "reveal→all p50/max ms", "max × baseline", "lost", "failed acks", "dropped phones", "RSS MB per process", "CPU busy %", "CPU s servers/load"];
  const rows = results.map((r) => [
    r.setup,
    String(r.phones),
    r.joinAllS.toFixed(1),
    `${f(r.voteAckMs.p50)}/${f(r.voteAckMs.p95)}/${f(r.voteAckMs.p99)}`,
    (r.voteAckMs.p99 / base.voteAckMs.p99).toFixed(2),
    `${f(r.revealP50Ms)}/${f(r.revealAllMs)}`,
    (r.revealAllMs / base.revealAllMs).toFixed(2),
    String(r.lostVotes),
    String(r.voteFailures + r.joinFailures),
    String(r.phonesDisconnected),
    r.rssMbPerProcess.map(f).join(", "),
    f(r.cpuBusyPct),
    `${f(r.cpuSeconds.servers)}/${f(r.cpuSeconds.loadGenerators)}`,
  ]);
  return markdownTable(head, rows);
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  // The target size, and a smaller one to show where these cores stop keeping up.
  const sizes = (arg("--phones") ?? "2000,5000").split(",").map(Number);
  const counts = (arg("--processes") ?? "1,2,4").split(",").map(Number);
  console.error(`load average before: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const results: Result[] = [];
  for (const phones of sizes) {
    const group: Result[] = [await benchSetup(1, false, phones)];
    for (const n of counts) group.push(await benchSetup(n, true, phones));
    console.log(`\n${phones} phones in one room:\n${table(group)}`);
    results.push(...group);
  }
  const meets = (r: Result) => r.lostVotes === 0 && r.voteAckMs.p99 <= TARGETS.ackP99Ms && r.revealAllMs <= TARGETS.revealAllMs;
  const clustered = results.filter((r) => r.redis);
  const largest = Math.max(...sizes);
  const atLargest = clustered.filter((r) => r.phones === largest);
  const best = atLargest.reduce((a, b) => (b.voteAckMs.p99 < a.voteAckMs.p99 ? b : a));
  const verdict = {
    lostVotes: { target: 0, measured: results.reduce((sum, r) => sum + r.lostVotes, 0), met: results.every((r) => r.lostVotes === 0) },
    ackP99Ms: { target: TARGETS.ackP99Ms, phones: largest, best: { setup: best.setup, measured: best.voteAckMs.p99 }, met: best.voteAckMs.p99 <= TARGETS.ackP99Ms },
    revealAllMs: { target: TARGETS.revealAllMs, phones: largest, measured: Math.min(...atLargest.map((r) => r.revealAllMs)), met: atLargest.some((r) => r.revealAllMs <= TARGETS.revealAllMs) },
    /** Per setup, the most phones at which it met every target. */
    meetsTargetsUpTo: Object.fromEntries([...new Set(results.map((r) => r.setup))].map((setup) => [setup, Math.max(0, ...results.filter((r) => r.setup === setup && meets(r)).map((r) => r.phones))])),
  };
  console.log(
    `\n${largest} phones: lost ${verdict.lostVotes.measured}; best cluster ack p99 ${f(best.voteAckMs.p99)} ms on ${best.setup} (target ≤ ${TARGETS.ackP99Ms}); ` +
      `reveal on every phone ${f(verdict.revealAllMs.measured)} ms at best (target ≤ ${TARGETS.revealAllMs}).` +
      `\nEvery target met up to: ${Object.entries(verdict.meetsTargetsUpTo).map(([k, v]) => `${k} ${v || "none of the sizes"}`).join("; ")}.`,
  );
  writeResults("cluster", {
    setup: {
      transport: "websocket, each phone straight to a server process (round robin), from two load-generator processes",
      database: "PostgreSQL (one test database per setup)",
      redis: "a private redis-server per setup",
      inference: "fake",
      voteWave: `each phone votes once at a random moment within ${SPREAD_MS} ms`,
      baseline: "one process without REDIS_URL, same database, same phones",
    },
    targets: verdict,
    results,
      });
  if (!verdict.lostVotes.met) process.exitCode = 1;
}

if (process.argv[2] === "--generate") generator();
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
