// The calibration game over sockets: a real server on PostgreSQL, 40 socket.io students, the
// deterministic fake model. Every answer is committed before its ack; phones never see another
// student's answer before the reveal; a reloaded phone and a restarted server land on the live
// question; and the reveal's figures equal those recomputed here from the database's own rows.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { brierScore, expectedCalibrationError, isCorrect, reliabilityBins } from "../../../contract/numbers/calibration.ts";
import { CALIBRATION_EVENTS, CONFIDENCE_LEVELS, type AnswerAck, type CalibrationMine, type CalibrationView } from "../../../contract/protocol/calibration.ts";
import { SESSION_EVENTS, type HostSnapshot, type SessionSnapshot } from "../../../contract/protocol/session.ts";
import { builtInQuestionSet } from "../../../server/activities/calibration/question-sets.ts";
import { FakeInference } from "../../../server/inference/fake.ts";
import type { TestDatabaseTarget } from "../../support/databases.ts";
import { seededRng } from "../../support/seeded-rng.ts";
import { createSession, createTestDatabase, expectOk, instructorCookie, joinedPlayer, sessionClient, startActivity, startServer, type SessionClient, type TestServer } from "../session/session-kit.ts";

const viewOf = (s: SessionSnapshot | null) => (s?.activity?.kind === "calibration" ? (s.activity.view as CalibrationView) : null);
const mineOf = (s: SessionSnapshot | null) => (s?.activity?.kind === "calibration" ? (s.activity.mine as CalibrationMine | null) : null);
const SET = builtInQuestionSet("people-and-places")!;

describe("the calibration game over sockets", () => {
  let target: TestDatabaseTarget | null = null;
  let server: TestServer | null = null;
  const clients: SessionClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.stop();
    await target?.drop();
    server = null;
    target = null;
  });

  it("40 students answer a built-in set; the reveal equals the figures recomputed from the database rows", async () => {
    target = await createTestDatabase("postgres");
    const inference = new FakeInference();
    server = await startServer(target, inference);
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Calibration" });
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    const projector = sessionClient(server.url, room.code, { role: "projector", cookie });
    clients.push(host, projector);
    const phones: Awaited<ReturnType<typeof joinedPlayer>>[] = [];
    for (let i = 0; i < 40; i += 10) phones.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => joinedPlayer(server!.url, room.code, `Student ${i + k + 1}`)))));
    clients.push(...phones);
    await host.waitForSnapshot((s) => s.viewer === "host");

    // The model answers the whole set before the first question opens, in batched calls: one for
    // every first token, then at most one per extra token of the longest word.
    const callsBefore = inference.calls;
    const started = await startActivity(host, { kind: "calibration", input: { setId: SET.id, threshold: null } });
    expect(inference.calls - callsBefore).toBeLessThanOrEqual(7);
    const gameId = viewOf(started)!.gameId;
    expect(viewOf(started)).toMatchObject({ status: "asking", questionCount: SET.questions.length, question: { index: 0 }, reveal: null });

    const rng = seededRng(14);
    const given = new Map<string, { answer: string; confidence: number | null }>();
    for (let index = 0; index < SET.questions.length; index++) {
      const q = SET.questions[index]!;
      await Promise.all(
        phones.map(async (phone, k) => {
          const roll = rng();
          const confidence = roll < 0.15 ? null : CONFIDENCE_LEVELS[Math.floor(rng() * CONFIDENCE_LEVELS.length)]!;
          // Some right, some wrong with a marker no other phone may see before the reveal.
          const answer = q.choices ? q.choices[Math.floor(rng() * q.choices.length)]! : roll < 0.55 && q.answers[0] ? q.answers[0] : `guess-${k}-${index}`;
          const ack = await expectOk(phone.emit<AnswerAck>(CALIBRATION_EVENTS.answer, { gameId, question: index, answer, confidence }));
          expect(ack.answer).toEqual({ index, answer, confidence, correct: null });
          given.set(`${phone.participantId}:${index}`, { answer, confidence });
        }),
      );
      await projector.waitForCounts((c) => c.activity?.id === gameId && c.activity.counts.question === index && c.activity.counts.answered === 40);
      expect(viewOf(projector.snapshot)!.reveal).toBeNull();
      // Role filtering: phone 0 sees nothing of anyone else's answers.
      const seen = JSON.stringify(phones[0]!.snapshot);
      expect(seen).not.toMatch(/guess-(?!0-)\d+-/);

      if (index === 2) {
        // A reload lands on the live question with the phone's own answer.
        const again = sessionClient(server.url, room.code, { participantToken: phones[3]!.token });
        clients.push(again);
        const back = await again.waitForSnapshot((s) => viewOf(s) !== null);
        expect(viewOf(back)!.question!.index).toBe(2);
        expect(mineOf(back)!.current).toMatchObject({ index: 2, ...given.get(`${phones[3]!.participantId}:2`) });
      }
      if (index === 5) {
        // The server restarts mid-game: the game resumes on the same question with every answer.
        const port = server.port;
        await server.stop();
        server = await startServer(target, inference, { port });
        const back = await phones[7]!.waitForSnapshot((s) => viewOf(s)?.question?.index === 5 && mineOf(s)?.current?.index === 5, 60_000);
        expect(mineOf(back)!.current).toMatchObject(given.get(`${phones[7]!.participantId}:5`)!);
        await host.waitForSnapshot((s) => viewOf(s)?.question?.index === 5, 60_000);
      }
      if (index + 1 < SET.questions.length) await expectOk(host.emit(CALIBRATION_EVENTS.next));
    }
    expect(await host.emit(CALIBRATION_EVENTS.next)).toMatchObject({ ok: false, code: "last_question" });
    await expectOk(host.emit(CALIBRATION_EVENTS.setThreshold, { bits: 2 }));
    const revealed = (await expectOk(host.emit<{ snapshot: HostSnapshot }>(CALIBRATION_EVENTS.reveal))).snapshot;
    const reveal = viewOf(revealed)!.reveal!;

    // Recompute from the rows, read with a plain SQL client.
    let modelSha256 = "";
    const db = new pg.Client({ connectionString: target.env.DATABASE_URL });
    await db.connect();
    try {
      const answers = (await db.query<{ question: number; answer: string; confidence: number | null; correct: boolean; participantId: string }>(`SELECT "question", "answer", "confidence", "correct", "participantId" FROM "CalibrationAnswer" WHERE "gameId" = $1`, [gameId])).rows;
      expect(answers).toHaveLength(40 * SET.questions.length);
      for (const a of answers) {
        expect(given.get(`${a.participantId}:${a.question}`)).toEqual({ answer: a.answer, confidence: a.confidence });
        expect(a.correct).toBe(a.confidence !== null && isCorrect(a.answer, SET.questions[a.question]!.answers));
      }
      const points = answers.filter((a) => a.confidence !== null).map((a) => ({ confidence: a.confidence! / 100, correct: a.correct }));
      expect(reveal.class.answered).toBe(points.length);
      expect(reveal.class.abstained).toBe(answers.length - points.length);
      expect(reveal.class.right).toBe(points.filter((p) => p.correct).length);
      expect(reveal.class.brier).toBeCloseTo(brierScore(points)!, 12);
      expect(reveal.class.ece).toBeCloseTo(expectedCalibrationError(points)!, 12);
      const bins = reliabilityBins(points);
      expect(reveal.class.bins.map((b) => [b.lo, b.n, b.fractionRight])).toEqual(bins.map((b) => [b.lo, b.n, b.fractionRight]));
      for (const [i, b] of bins.entries()) expect(reveal.class.bins[i]!.meanConfidence).toBeCloseTo(b.meanConfidence, 12);

      const game = (await db.query<{ modelAnswers: { p: number; entropyBits: number; correct: boolean; answer: string }[]; threshold: number; modelSha256: string }>(`SELECT "modelAnswers", "threshold", "modelSha256" FROM "CalibrationGame" WHERE "id" = $1`, [gameId])).rows[0]!;
      expect(game.threshold).toBe(2);
      modelSha256 = game.modelSha256;
      expect(modelSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(game.modelAnswers).toHaveLength(SET.questions.length);
      const answered = game.modelAnswers.filter((m) => m.entropyBits <= 2);
      const modelPoints = answered.map((m) => ({ confidence: m.p, correct: m.correct }));
      expect(reveal.model).toMatchObject({ answered: answered.length, abstained: SET.questions.length - answered.length });
      if (modelPoints.length > 0) expect(reveal.model.brier).toBeCloseTo(brierScore(modelPoints)!, 12);
      expect(reveal.tradeoff).toEqual({ threshold: 2, right: answered.filter((m) => m.correct).length, wrong: answered.filter((m) => !m.correct).length, notSure: SET.questions.length - answered.length });
      for (const [i, q] of reveal.questions.entries()) expect(q.model.answer).toBe(game.modelAnswers[i]!.answer);
    } finally {
      await db.end();
    }

    // After the reveal each phone gets its own calibration, and the figures reach every phone.
    const mine = mineOf(await phones[0]!.waitForSnapshot((s) => viewOf(s)?.status === "revealed"))!;
    const own = [...given].filter(([key]) => key.startsWith(`${phones[0]!.participantId}:`)).map(([, v]) => v);
    expect(mine.answers).toHaveLength(SET.questions.length);
    expect(mine.summary!.answered).toBe(own.filter((a) => a.confidence !== null).length);
    await Promise.all(phones.map((p) => p.waitForSnapshot((s) => viewOf(s)?.reveal?.class.answered === reveal.class.answered)));

    // The export holds every answer and the model's answers with its hash.
    const csv = await (await fetch(`${server.url}/api/sessions/${room.code}/export/calibration_answers.csv`, { headers: { cookie } })).text();
    expect(csv.trim().split("\n")).toHaveLength(1 + 40 * SET.questions.length);
    const model = await (await fetch(`${server.url}/api/sessions/${room.code}/export/calibration_model.csv`, { headers: { cookie } })).text();
    expect(model.trim().split("\n")).toHaveLength(1 + SET.questions.length);
    expect(model).toContain(modelSha256);
  }, 180_000);

  it("refuses bad payloads with clear codes and changes nothing", async () => {
    target = await createTestDatabase("pglite");
    server = await startServer(target, new FakeInference());
    const cookie = await instructorCookie(server);
    const room = await createSession(server, cookie, { title: "Bad input" });
    const host = sessionClient(server.url, room.code, { role: "host", cookie });
    clients.push(host);
    const phone = await joinedPlayer(server.url, room.code, "Ann");
    clients.push(phone);
    expect(await host.emit(SESSION_EVENTS.start, { kind: "calibration", input: { setId: "nope", threshold: null } })).toMatchObject({ ok: false, code: "question_set_not_found" });
    const started = await startActivity(host, { kind: "calibration", input: { questions: [{ text: "Capital of Peru?", prompt: "The capital of Peru is", answers: ["Lima"], source: "custom" }], threshold: null } });
    const gameId = viewOf(started)!.gameId;
    const send = (payload: unknown) => phone.emit(CALIBRATION_EVENTS.answer, payload);
    expect(await send({ gameId, question: 0, answer: "Lima", confidence: 75 })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await send({ gameId, question: 0, answer: "x".repeat(61), confidence: 90 })).toMatchObject({ ok: false, code: "answer_too_long" });
    expect(await send({ gameId, question: 0, answer: "", confidence: 90 })).toMatchObject({ ok: false, code: "answer_empty" });
    expect(await send({ gameId, question: 1, answer: "Lima", confidence: 90 })).toMatchObject({ ok: false, code: "question_closed" });
    expect(await send({ gameId, question: 0, answer: "Lima", confidence: 90, extra: { deep: true } })).toMatchObject({ ok: true });
    expect(await host.emit(CALIBRATION_EVENTS.setThreshold, { bits: 99 })).toMatchObject({ ok: false, code: "bad_payload" });
    expect(await phone.emit(CALIBRATION_EVENTS.reveal)).toMatchObject({ ok: false, code: "not_host" });
  }, 60_000);
});
