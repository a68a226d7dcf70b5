// Loads the bundled training text and builds its phrase index in the background at start-up.
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { Logger } from "../logger.ts";
import { buildPhraseIndex, type PhraseIndex, type PhraseResult } from "./phrase-index.ts";

export type TrainingDataState = "missing" | "loading" | "ready" | "failed";

export interface TrainingDataStatus {
  state: TrainingDataState;
  progress: number;
  lines: number;
  words: number;
  error: string | null;
}

export interface TrainingData {
  status(): TrainingDataStatus;
  /** Null until the index is ready. */
  search(phrase: string, maxExamples?: number): PhraseResult | null;
  /** Resolves once loading has finished, successfully or not. */
  ready: Promise<void>;
}

export function loadTrainingData(file: string, logger: Pick<Logger, "info" | "warn">): TrainingData {
  let index: PhraseIndex | null = null;
  const status: TrainingDataStatus = { state: "loading", progress: 0, lines: 0, words: 0, error: null };

  const ready = (async () => {
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch {
      Object.assign(status, { state: "missing", error: `no training text at ${file}` });
      logger.warn(`training-data search disabled: no file at ${file}`);
      return;
    }
    try {
      const text = (file.endsWith(".gz") ? await promisify(gunzip)(raw) : raw).toString("utf8");
      const lines = text.split("\n").filter((l) => l.length > 0);
      const started = performance.now();
      let logged = -1;
      index = await buildPhraseIndex(lines, (fraction) => {
        status.progress = fraction;
        const tenth = Math.floor(fraction * 10);
        if (tenth > logged) logger.info(`indexing training text: ${tenth * 10}%`);
        logged = Math.max(logged, tenth);
      });
      Object.assign(status, { state: "ready", progress: 1, lines: index.lineCount, words: index.wordCount });
      logger.info(`training-data index ready: ${index.lineCount} lines, ${index.wordCount} words in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      Object.assign(status, { state: "failed", error: String(error) });
      logger.warn(`training-data index failed: ${String(error)}`);
    }
  })();

  return {
    status: () => ({ ...status }),
    search: (phrase, maxExamples) => index?.search(phrase, maxExamples) ?? null,
    ready,
  };
}
