// Three real server processes on one PostgreSQL database and a Redis of their own, behind HAProxy
// with the repo's config: phones spread over the processes, an owner killed or frozen mid-round,
// and Redis restarted mid-round.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatedSession } from "../../../contract/http/sessions.ts";
import { GUESS_EVENTS, type VoteAck } from "../../../contract/protocol/guess.ts";
import { SESSION_EVENTS, type HostSnapshot, type SessionCounts, type SessionSnapshot } from "../../../contract/protocol/session.ts";
import { CLUSTER_SECRET_HEADER } from "../../../server/cluster/router.ts";
import { clusterInstructor, startCluster, TEST_CLUSTER_SECRET, type ClusterNode, type TestCluster } from "../../support/cluster.ts";
import { connected, expectOk, guessMineOf, guessRound, joinedPlayer, roundOf, sessionClient, startActivity, type SessionClient } from "../session/session-kit.ts";

const WORDS = ["mat", "dog", "hat", "cat", "red"];
type Phone = SessionClient & { token: string; participantId: string; joinSeq: number };

describe("three server processes behind HAProxy, on Redis and PostgreSQL", () => {
  let cluster: TestCluster;
  let cookie: string;
  let db: pg.Client;
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ processes: 3, proxy: true });
    cookie = await clusterInstructor(cluster);
    db = new pg.Client({ connectionString: cluster.target.env.DATABASE_URL });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await db?.end();
    await cluster?.stop();
  });

  async function createRoom(title: string): Promise<CreatedSession> {
    const res = await fetch(`${cluster.url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ title, prompts: ["the cat sat on the"] }) });
    const json = (await res.json()) as { data: { session: CreatedSession } };
    return json.data.session;
  }

  async function lease(code: string): Promise<{ owner: string; address: string; fence: number; live: boolean } | null> {
    const { rows } = await db.query(`SELECT "owner", "address", "fence", "expiresAt" > now() AS "live" FROM "RoomLease" WHERE "code" = $1`, [code]);
    return rows[0] ?? null;
  }
  const nodeAt = (address: string) => cluster.nodes.find((n) => n.url === address)!;
  const others = (node: ClusterNode) => cluster.nodes.filter((n) => n !== node);

  async function hostOf(code: string): Promise<SessionClient> {
    const host = sessionClient(cluster.url, code, { role: "host", cookie });
    clients.push(host);
    expect(await connected(host)).toEqual({ ok: true });
    await host.waitForSnapshot((s) => s.viewer === "host");
    return host;
  }

  async function phonesOn(urls: string[], code: string, prefix: string): Promise<Phone[]> {
    const phones = await Promise.all(urls.map((url, i) => joinedPlayer(url, code, `${prefix} ${i + 1}`)));
    clients.push(...phones);
    return phones;
  }

  /** Votes until acknowledged: a phone whose vote failed (its process died) tries again, as a student would. */
  async function voteUntilAcked(phone: Phone, guess: string, deadlineMs = 30_000): Promise<VoteAck> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const ack = await tryVote(phone, guess);
      if (ack?.ok) return ack.data;
      if (Date.now() > deadline) throw new Error(`${guess}: no vote acknowledged in ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A batch of calls on a process's internal route, as another process forwards them. */
  const internal = (url: string, body: unknown, secret?: string) =>
    fetch(`${url}/internal/rooms`, { method: "POST", headers: { "content-type": "application/json", ...(secret ? { [CLUSTER_SECRET_HEADER]: secret } : {}) }, body: JSON.stringify(body) });

  async function storedVotes(code: string): Promise<{ participantId: string; guess: string }[]> {
    const { rows } = await db.query(
      `SELECT v."participantId", v."guess" FROM "Vote" v JOIN "Round" r ON r."id" = v."roundId" JOIN "Room" s ON s."id" = r."roomId" WHERE s."code" = $1`,
      [code],
    );
    return rows;
  }

  it("phones spread over all three see the same snapshots and counts in the same order, and the host's commands on one process reach phones on the others", async () => {
    const room = await createRoom("Spread");
    const host = await hostOf(room.code);
    // Through the proxy (spread by load) and straight at each process, so all three certainly have phones.
    const urls = [...Array(9).fill(cluster.url), ...cluster.nodes.flatMap((n) => [n.url, n.url])];
    const phones = await phonesOn(urls, room.code, "Spread");
    const seen = phones.map(() => ({ phases: [] as string[], counts: [] as number[] }));
    let from = Infinity;
    phones.forEach((p, i) => {
      // As a phone does: a snapshot older than one it already has is ignored (a welcome sent through
      // Redis can arrive after the join's answer, which came over HTTP).
      let newest = p.joinSeq;
      p.socket.on(SESSION_EVENTS.snapshot, (s: SessionSnapshot) => {
        if (s.seq < newest) return;
        newest = s.seq;
        // Only what the host's commands made: the room as it was before them (seq `from` itself) can
        // still be on its way through Redis to a phone when the first command goes out.
        if (s.seq <= from) return;
        const phase = `${s.activity?.id ?? "-"}:${roundOf(s)?.status ?? "-"}:${s.session.paused}`;
        if (seen[i]!.phases.at(-1) !== phase) seen[i]!.phases.push(phase);
      });
      p.socket.on(SESSION_EVENTS.counts, (c: SessionCounts) => {
        if (c.seq > from) seen[i]!.counts.push(c.seq);
      });
    });
    const health = await Promise.all(cluster.nodes.map((n) => fetch(`${n.url}/api/health`).then((r) => r.json() as Promise<{ cluster: { sockets: number } }>)));
    expect(health.every((h) => h.cluster.sockets > 0)).toBe(true);

    from = host.snapshot!.seq;
    const started = await startActivity(host, guessRound({ mode: "round", promptIndex: 0 }));
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "voting")));
    const acks = await Promise.all(phones.map((p, i) => expectOk(p.emit<VoteAck>(GUESS_EVENTS.vote, { guess: WORDS[i % 5] }))));
    expect(acks.every((a) => a.vote.guess)).toBe(true);
    await Promise.all(phones.map((p) => p.waitForCounts((c) => c.activity?.counts.votes === phones.length)));
    await expectOk(host.emit(SESSION_EVENTS.pause, { paused: true }));
    await expectOk(host.emit(SESSION_EVENTS.pause, { paused: false }));
    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    expect(roundOf(closed.snapshot)?.status).toBe("revealed");
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "revealed")));
    // Each phone sees its own result, from the owner, wherever it is connected.
    phones.forEach((p, i) => expect(guessMineOf(p.snapshot)?.result?.tokenText).toBe(` ${WORDS[i % 5]}`));
    await new Promise((r) => setTimeout(r, 800));

    const id = started.activity!.id;
    expect(seen[0]!.phases).toEqual([`${id}:preparing:false`, `${id}:voting:false`, `${id}:voting:true`, `${id}:voting:false`, `${id}:revealed:false`]);
    for (const s of seen) {
      expect(s.phases).toEqual(seen[0]!.phases);
      expect(s.counts).toEqual(seen[0]!.counts);
    }
    expect(seen[0]!.counts.length).toBeGreaterThan(0);
    expect(await storedVotes(room.code)).toHaveLength(phones.length);
  });

  it("forwarded calls go in batches to the owner only, with the cluster's secret; the proxy does not pass them", async () => {
    const room = await createRoom("Internal");
    await hostOf(room.code);
    const owner = nodeAt((await lease(room.code))!.address);
    const other = others(owner)[0]!;
    const info = { calls: [{ code: room.code, call: { kind: "info" } }, { code: room.code, call: { kind: "info" } }] };

    const answered = (await (await internal(owner.url, info, TEST_CLUSTER_SECRET)).json()) as { answers: Array<{ reply: { title: string } }> };
    expect(answered.answers.map((a) => a.reply.title)).toEqual(["Internal", "Internal"]);
    expect(await (await internal(other.url, info, TEST_CLUSTER_SECRET)).json()).toEqual({ answers: ["moved", "moved"] });
    expect((await internal(owner.url, info)).status).toBe(403);
    expect((await internal(owner.url, info, "not-the-secret-of-this-cluster")).status).toBe(403);
    expect((await internal(owner.url, { calls: [{ code: room.code, call: { kind: "drop tables" } }] }, TEST_CLUSTER_SECRET)).status).toBe(400);
    expect((await internal(owner.url, { calls: [] }, TEST_CLUSTER_SECRET)).status).toBe(400);
    expect((await internal(cluster.url, info, TEST_CLUSTER_SECRET)).status).toBe(404);
    const upper = (url: string) => fetch(`${url}/INTERNAL/rooms`, { method: "POST", headers: { "content-type": "application/json", [CLUSTER_SECRET_HEADER]: TEST_CLUSTER_SECRET }, body: JSON.stringify(info) });
    expect((await upper(cluster.url)).status).toBe(404);
    // Routes are case-sensitive: on the process itself, the upper-case path is not the call route (it falls through to the pages).
    expect(await (await upper(owner.url)).text()).not.toContain("answers");
  });

  it("kill -9 of a room's owner mid-round: another process owns it within 5 s, every acknowledged vote is kept, phones come back as themselves, a join sent again finds its participant", async () => {
    const room = await createRoom("Failover");
    const owner = nodeAt((await lease(room.code))!.address);
    const host = await hostOf(room.code);
    const urls = [...Array(12).fill(cluster.url), ...others(owner).flatMap((n) => [n.url, n.url, n.url])];
    const phones = await phonesOn(urls, room.code, "Failover");
    const ids = phones.map((p) => p.participantId);
    await startActivity(host, guessRound({ mode: "round", promptIndex: 0 }));
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "voting")));

    // Everyone votes, changing their mind every 100 ms; the owner dies in the middle of it.
    const acked: { participantId: string; guess: string }[] = [];
    let voting = true;
    const loops = phones.map(async (p, i) => {
      for (let k = 0; voting; k++) {
        const guess = WORDS[(i + k) % 5]!;
        const ack = await tryVote(p, guess);
        if (ack?.ok) acked.push({ participantId: p.participantId, guess });
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    await new Promise((r) => setTimeout(r, 1_000));
    // A join its owner commits but never answers goes again to the next owner, with the key its
    // edge chose for it (the participant's token): it finds the participant already made, not a second one.
    const caller = { socketId: "a-socket-elsewhere", role: "player", participantId: null, address: "127.0.0.1" };
    const join = { calls: [{ code: room.code, call: { kind: "event", caller, event: SESSION_EVENTS.join, payload: { nickname: "Resent" }, callKey: "the-token-its-edge-chose" } }] };
    const joinedBefore = (await (await internal(owner.url, join, TEST_CLUSTER_SECRET)).json()) as { answers: Array<{ reply: { ack: { ok: boolean; data: { participantToken: string } }; participantId: string } }> };
    expect(joinedBefore.answers[0]!.reply.ack.ok).toBe(true);
    const before = await lease(room.code);
    const killedAt = Date.now();
    await owner.kill("SIGKILL");
    let taken: Awaited<ReturnType<typeof lease>> = null;
    while (Date.now() - killedAt < 10_000) {
      taken = await lease(room.code);
      if (taken && taken.live && taken.owner !== before!.owner) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const takeoverMs = Date.now() - killedAt;
    expect(taken!.owner).not.toBe(before!.owner);
    expect(taken!.fence).toBeGreaterThan(before!.fence);
    expect(takeoverMs).toBeLessThan(5_000);
    console.info(`kill -9: new owner after ${takeoverMs} ms (fence ${before!.fence} → ${taken!.fence})`);
    const joinedAfter = (await (await internal(nodeAt(taken!.address).url, join, TEST_CLUSTER_SECRET)).json()) as typeof joinedBefore;
    expect(joinedAfter.answers[0]!.reply.participantId).toBe(joinedBefore.answers[0]!.reply.participantId);
    expect(joinedAfter.answers[0]!.reply.ack.data.participantToken).toBe("the-token-its-edge-chose");
    const { rows: resent } = await db.query(`SELECT p."id" FROM "RoomParticipant" p JOIN "Room" s ON s."id" = p."roomId" WHERE s."code" = $1 AND p."nickname" LIKE 'Resent%'`, [room.code]);
    expect(resent).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 3_000));
    voting = false;
    await Promise.all(loops);

    // Phones are back, as the same participants, and the room goes on.
    const finals = await Promise.all(phones.map((p, i) => voteUntilAcked(p, WORDS[(i + 3) % 5]!)));
    expect(finals.every((f) => f.changed)).toBe(true);
    phones.forEach((p, i) => expect(p.snapshot && "me" in p.snapshot ? (p.snapshot.me as { id: string } | null)?.id : null).toBe(ids[i]));
    const stored = await storedVotes(room.code);
    const key = (v: { participantId: string; guess: string }) => `${v.participantId}|${v.guess}`;
    const storedKeys = new Map<string, number>();
    for (const v of stored) storedKeys.set(key(v), (storedKeys.get(key(v)) ?? 0) + 1);
    const ackedKeys = new Map<string, number>();
    for (const v of acked) ackedKeys.set(key(v), (ackedKeys.get(key(v)) ?? 0) + 1);
    for (const [k, n] of ackedKeys) expect(storedKeys.get(k) ?? 0, k).toBeGreaterThanOrEqual(n);
    expect(acked.length).toBeGreaterThan(phones.length);
    console.info(`kill -9: ${acked.length} votes acknowledged, ${stored.length} stored, none acknowledged missing`);

    const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
    expect(roundOf(closed.snapshot)?.reveal?.histogram.reduce((n, b) => n + b.count, 0)).toBe(phones.length);
    await Promise.all(phones.map((p, i) => p.waitForSnapshot((s) => roundOf(s)?.status === "revealed" && guessMineOf(s)?.result?.tokenText === ` ${WORDS[(i + 3) % 5]}`)));
    const counts = await host.waitForCounts((c) => c.connectedCount === phones.length, 20_000);
    expect(counts.participantCount).toBe(phones.length + 1);
  });

  it("an owner frozen (SIGSTOP) loses its room; woken up (SIGCONT), its writes are refused by the database and the room goes on at the new owner", async () => {
    const alive = cluster.nodes.filter((n) => n.alive());
    expect(alive.length).toBeGreaterThanOrEqual(2);
    const room = await createRoom("Frozen");
    let first = await lease(room.code);
    // Make sure a live process owns it (the proxy may have sent the create anywhere).
    const owner = nodeAt(first!.address);
    const host = await hostOf(room.code);
    const rest = others(owner).filter((n) => n.alive());
    const onOwner = await phonesOn([owner.url, owner.url], room.code, "Frozen here");
    const elsewhere = await phonesOn(rest.flatMap((n) => [n.url, n.url]), room.code, "Frozen there");
    await startActivity(host, guessRound({ mode: "round", promptIndex: 0 }));
    await Promise.all([...onOwner, ...elsewhere].map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "voting")));
    first = await lease(room.code);

    owner.child.kill("SIGSTOP");
    try {
      // Phones on the frozen process vote: their packets wait in its socket buffers.
      const frozenVotes = onOwner.map((p) => tryVote(p, "frozen"));
      // Phones elsewhere vote: their calls wait for the frozen owner's lease to run out, then go to the new one.
      const votes = await Promise.all(elsewhere.map((p) => voteUntilAcked(p, "cat", 20_000)));
      expect(votes.every((v) => v.vote.guess === "cat")).toBe(true);
      const now = await lease(room.code);
      expect(now!.owner).not.toBe(first!.owner);
      expect(now!.fence).toBeGreaterThan(first!.fence);
      // The database itself refuses a write under the old fence.
      await expect(db.query("SELECT token_hat_assert_lease($1, $2, $3)", [room.code, first!.owner, first!.fence])).rejects.toThrow(/is not held by this process/);

      owner.child.kill("SIGCONT");
      const answered = await Promise.all(frozenVotes);
      const stored = await storedVotes(room.code);
      // A vote the frozen process took was either refused (its write rolled back) or, had it already
      // let the room go, forwarded to the new owner and stored: never stored and then refused.
      console.info(`SIGSTOP: frozen process's votes answered ${answered.map((a) => (a === null ? "no answer" : a.ok ? "ok (forwarded)" : a.code)).join(", ")}`);
      onOwner.forEach((p, i) => {
        const inDb = stored.some((v) => v.participantId === p.participantId && v.guess === "frozen");
        expect(inDb).toBe(answered[i]?.ok === true);
      });
      await waitFor(() => /lease lost|is not held by this process|handed over/.test(owner.log()), 10_000, "the woken process to give the room up");
      // The room goes on for everyone, the phones on the woken process included.
      const again = await Promise.all(onOwner.map((p) => voteUntilAcked(p, "dog", 20_000)));
      expect(again.every((v) => v.vote.guess === "dog")).toBe(true);
      const closed = await expectOk(host.emit<{ snapshot: HostSnapshot }>(GUESS_EVENTS.close));
      expect(roundOf(closed.snapshot)?.reveal?.histogram.reduce((n, b) => n + b.count, 0)).toBe(onOwner.length + elsewhere.length);
      await Promise.all([...onOwner, ...elsewhere].map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "revealed")));
    } finally {
      owner.child.kill("SIGCONT");
    }
  });

  it("Redis restarted mid-round: votes are still acknowledged, broadcasts resume, and phones that missed messages get a fresh snapshot", async () => {
    const alive = cluster.nodes.filter((n) => n.alive());
    const room = await createRoom("Redis restart");
    const host = await hostOf(room.code);
    const phones = await phonesOn(alive.flatMap((n) => [n.url, n.url, n.url]), room.code, "Redis");
    await startActivity(host, guessRound({ mode: "round", promptIndex: 0 }));
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "voting")));

    await cluster.redis.stop();
    // Forwarded calls go over HTTP, not Redis: every vote is taken and acknowledged meanwhile.
    const acks = await Promise.all(phones.map((p, i) => expectOk(p.emit<VoteAck>(GUESS_EVENTS.vote, { guess: WORDS[i % 5] }))));
    expect(acks).toHaveLength(phones.length);
    expect(await storedVotes(room.code)).toHaveLength(phones.length);
    await new Promise((r) => setTimeout(r, 1_500));
    await cluster.redis.start();

    // Every phone's view catches up with its vote and the count, wherever it is connected.
    await Promise.all(phones.map((p, i) => p.waitForSnapshot((s) => guessMineOf(s)?.vote?.guess === WORDS[i % 5], 15_000)));
    await Promise.all(phones.map((p) => p.waitForCounts((c) => c.activity?.counts.votes === phones.length, 15_000)));
    // Broadcasts flow again: the reveal reaches every phone.
    await expectOk(host.emit(GUESS_EVENTS.close));
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => roundOf(s)?.status === "revealed", 15_000)));
  });
});

/** A vote, or null when the phone's connection dropped before its answer came. */
function tryVote(phone: SessionClient, guess: string) {
  return phone.socket.connected ? phone.emit<VoteAck>(GUESS_EVENTS.vote, { guess }).catch(() => null) : Promise.resolve(null);
}

async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
