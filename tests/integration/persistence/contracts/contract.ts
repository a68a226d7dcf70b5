// A store contract case: a name and a body that runs against one set of stores. Each store's cases
// live in their own file and are listed in store-contracts.test.ts, which runs every case against
// the in-memory fakes, PGlite and PostgreSQL.
import type { Stores } from "../../../../server/db/stores.ts";
import type { SessionRow } from "../../../../server/session/session-records.ts";

export interface ContractCase {
  name: string;
  run(stores: Stores, ids: Ids): Promise<void>;
}

export interface Ids {
  session: string;
  other: string;
  code: string;
  otherCode: string;
  p(n: number): string;
  r(n: number): string;
}

let serial = 0;
/** Fresh ids and codes per case, so one database per kind serves every case. */
export function freshIds(): Ids {
  serial += 1;
  const letters = "ACDEFGHJKMNPQRTUVWXY";
  const code = (n: number) => `7K${letters[Math.floor(n / 400) % 20]}${letters[Math.floor(n / 20) % 20]}${letters[n % 20]}X`;
  return { session: `s-${serial}-a`, other: `s-${serial}-b`, code: code(serial * 2), otherCode: code(serial * 2 + 1), p: (n) => `p${n}-${serial}`, r: (n) => `r${n}-${serial}` };
}

export const sessionRow = (id: string, code: string, createdAt = 1_700_000_000_000): SessionRow => ({
  id,
  code,
  title: `Session ${code}`,
  ownerId: "owner-1",
  modelId: "m",
  modelName: "Model",
  modelSha256: "a".repeat(64),
  joinUrl: `http://192.168.1.5:3000/join/${code}`,
  prompts: ["Once upon a time"],
  plan: null,
  planStep: null,
  capacity: 1000,
  status: "open",
  locked: false,
  paused: false,
  leaderboard: false,
  currentKind: null,
  currentId: null,
  createdAt,
  endedAt: null,
});

export const participantRow = (id: string, sessionId: string, nickname = id) => ({ id, sessionId, tokenHash: `hash-${id}`, nickname, kicked: false, joinedAt: 1_700_000_000_500 });

/** A session with some participants, as the session host would write them. */
export async function sessionWith(stores: Stores, ids: Ids, people: number): Promise<void> {
  await stores.sessions.createSession(sessionRow(ids.session, ids.code));
  if (people > 0) await stores.sessions.upsertParticipants(Array.from({ length: people }, (_, i) => participantRow(ids.p(i + 1), ids.session, `P${i + 1}`)));
}
