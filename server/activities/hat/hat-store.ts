// The hat's store port. Rows go through HatRows, which the persistence folder implements on PGlite
// and PostgreSQL (server/db/hat-rows.ts) and memoryHatRows() in memory.
import type { ActivityStore } from "../../session/activity.ts";
import { presentIds } from "../../session/session-state.ts";
import { gameRow, gameStateFromStored, type HatDrawRow, type HatGameRow, type StoredHatGame } from "./hat-records.ts";
import type { FillState, HatOp, HatState } from "./hat-state.ts";

export interface RecordDrawResult {
  fill: FillState;
  /** True when this blank already had a draw: `fill` is that recorded one, and nothing was written. */
  recorded: boolean;
}

export interface HatRows {
  /** Inserts the game, or updates its mutable fields (dial, open blank, status, end time). */
  saveGame(game: HatGameRow): Promise<void>;
  /** Commits a draw, unless the participant already drew this blank: then the recorded draw wins. */
  recordDraw(draw: HatDrawRow): Promise<RecordDrawResult>;
  /** The session's most recent game with all its draws (for resume). */
  latestGame(sessionId: string): Promise<StoredHatGame | null>;
  /** Every game of the session, oldest first (for review and export). */
  sessionGames(sessionId: string): Promise<StoredHatGame[]>;
}

export type HatStore = ActivityStore<HatState, HatOp> & { rows: HatRows };

export function hatStore(rows: HatRows): HatStore {
  return {
    rows,
    async load(session) {
      const stored = await rows.latestGame(session.meta.id);
      if (!stored) return { game: null };
      return { game: gameStateFromStored(stored, stored.game.status === "running" ? presentIds(session) : []) };
    },
    opKind: (op) => op.kind,
    async write(_sessionId, _ops, state) {
      // The row is written from the latest state, so one write covers every queued change.
      if (state.game && state.game.meta.segmentIds) await rows.saveGame(gameRow(state.game));
    },
  };
}

/** The same rows in memory; copies on the way in and out, as a database would. */
export function memoryHatRows(): HatRows {
  const games = new Map<string, HatGameRow>();
  const draws: HatDrawRow[] = [];
  const copy = <T>(value: T): T => structuredClone(value);
  const stored = (game: HatGameRow): StoredHatGame => copy({ game, draws: draws.filter((d) => d.gameId === game.id) });
  return {
    async saveGame(game) {
      const existing = games.get(game.id);
      games.set(game.id, existing ? { ...existing, dial: game.dial, openBlank: game.openBlank, status: game.status, endedAt: game.endedAt, entropy: game.entropy ?? existing.entropy } : copy(game));
    },
    async recordDraw(draw) {
      if (!games.has(draw.gameId)) throw new Error(`no game ${draw.gameId}`);
      const existing = draws.find((d) => d.gameId === draw.gameId && d.participantId === draw.participantId && d.fill.blank === draw.fill.blank);
      if (existing) return { fill: copy(existing.fill), recorded: true };
      draws.push(copy(draw));
      return { fill: copy(draw.fill), recorded: false };
    },
    async latestGame(sessionId) {
      const latest = [...games.values()].filter((g) => g.sessionId === sessionId).sort((a, b) => b.startedAt - a.startedAt)[0];
      return latest ? stored(latest) : null;
    },
    async sessionGames(sessionId) {
      return [...games.values()]
        .filter((g) => g.sessionId === sessionId)
        .sort((a, b) => a.startedAt - b.startedAt)
        .map(stored);
    },
  };
}
