// A session as review data (for the facilitators' page and the JSON export) and as tidy tables
// (the CSV export): the session and its people, then one section per activity.
import Papa from "papaparse";

/**
 * Cells a spreadsheet would run as a formula (the OWASP CSV-injection rule): papaparse prefixes them
 * with a quote. Its default pattern ends in `.*$`, which a U+2028 line separator defeats.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;
import type { ActivityKind } from "../../contract/protocol/activities.ts";
import { EXPORT_FORMAT, type ReviewTable, type SessionReview } from "../../contract/http/review.ts";
import type { ActivityStores, ModuleMap } from "./session-host.ts";
import type { SessionStore } from "./session-store.ts";

const iso = (ms: number) => new Date(ms).toISOString();

export interface ReviewDeps {
  sessions: SessionStore;
  stores: ActivityStores;
  modules: ModuleMap;
}

export async function loadSessionReview(code: string, deps: ReviewDeps): Promise<SessionReview | null> {
  const stored = await deps.sessions.loadSession(code);
  if (!stored) return null;
  const { session } = stored;
  const names = new Map(stored.participants.map((p) => [p.id, p.nickname]));
  const nickname = (id: string) => names.get(id) ?? "";
  const sections: Partial<SessionReview> = {};
  for (const kind of Object.keys(deps.modules) as ActivityKind[]) {
    Object.assign(sections, await deps.modules[kind].review.load(deps.stores[kind] as never, session.id, nickname));
  }
  const rounds = sections.rounds ?? [];
  const totals = new Map<string, { loss: number; rounds: number }>();
  for (const r of rounds) {
    for (const [pid, result] of Object.entries(r.results)) {
      const t = totals.get(pid) ?? { loss: 0, rounds: 0 };
      totals.set(pid, { loss: t.loss + result.surpriseBits, rounds: t.rounds + 1 });
    }
  }
  return {
    format: EXPORT_FORMAT,
    room: {
      id: session.id,
      code: session.code,
      title: session.title,
      ownerId: session.ownerId,
      model: { id: session.modelId, name: session.modelName, sha256: session.modelSha256 },
      joinUrl: session.joinUrl,
      prompts: session.prompts,
      status: session.status,
      createdAt: iso(session.createdAt),
      endedAt: session.endedAt === null ? null : iso(session.endedAt),
    },
    plan: session.plan ? { ...session.plan, step: session.planStep } : null,
    participants: [...stored.participants]
      .sort((a, b) => a.joinedAt - b.joinedAt)
      .map((p) => ({ id: p.id, nickname: p.nickname, kicked: p.kicked, joinedAt: iso(p.joinedAt), totalLossBits: totals.get(p.id)?.loss ?? 0, roundsScored: totals.get(p.id)?.rounds ?? 0 })),
    rounds,
    threads: sections.threads ?? [],
    hatGames: sections.hatGames ?? [],
    slides: sections.slides ?? [],
    calibrationGames: sections.calibrationGames ?? [],
    explorations: sections.explorations ?? [],
  };
}

export function reviewTables(review: SessionReview, modules: ModuleMap): ReviewTable[] {
  const code = review.room.code;
  const students: ReviewTable = {
    name: "students",
    columns: ["session_code", "participant_id", "nickname", "removed_by_host", "joined_at", "rounds_scored", "total_surprise_bits", "mean_surprise_bits"],
    rows: review.participants.map((p) => [code, p.id, p.nickname, p.kicked, p.joinedAt, p.roundsScored, p.totalLossBits, p.roundsScored > 0 ? p.totalLossBits / p.roundsScored : null]),
  };
  return [students, ...(Object.keys(modules) as ActivityKind[]).flatMap((k) => modules[k].review.tables(review, code))];
}

/** A table as CSV: a byte-order mark so spreadsheets read UTF-8 names, and formulas escaped. */
export function tableCsv(table: ReviewTable): string {
  return "\uFEFF" + Papa.unparse({ fields: table.columns, data: table.rows.map((r) => r.map((c) => c ?? "")) }, { escapeFormulae: FORMULA_START });
}
