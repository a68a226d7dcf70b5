// Serializes model work and merges next-token requests that arrive close together into one call.
import type { LoadedModel } from "./loaded-model.ts";

type Job =
  | { kind: "logits"; model: LoadedModel; sequences: number[][]; resolve: (v: Float32Array[]) => void; reject: (e: unknown) => void }
  | { kind: "exclusive"; run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class BatchingQueue {
  private jobs: Job[] = [];
  private draining = false;

  /**
   * @param windowMs how long the first request of an idle queue waits for others to join it. With 0,
   * requests that arrived in the same event-loop turn share a call; since session.run blocks the
   * thread, everything that arrives during a run joins the next call anyway.
   */
  constructor(private readonly windowMs: number) {}

  nextTokenLogits(model: LoadedModel, sequences: number[][]): Promise<Float32Array[]> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ kind: "logits", model, sequences, resolve, reject });
      this.kick();
    });
  }

  /** Runs work that cannot be merged (a full scoring pass) in turn with the batches. */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ kind: "exclusive", run, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    if (this.windowMs > 0) setTimeout(() => void this.drain(), this.windowMs);
    else setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    while (this.jobs.length > 0) {
      const jobs = this.jobs;
      this.jobs = [];
      const byModel = new Map<LoadedModel, Extract<Job, { kind: "logits" }>[]>();
      for (const job of jobs) {
        if (job.kind === "logits") byModel.set(job.model, [...(byModel.get(job.model) ?? []), job]);
      }
      for (const [model, group] of byModel) {
        try {
          const all = await model.lastLogits(group.flatMap((j) => j.sequences));
          let offset = 0;
          for (const job of group) {
            job.resolve(all.slice(offset, offset + job.sequences.length));
            offset += job.sequences.length;
          }
        } catch (error) {
          for (const job of group) job.reject(error);
        }
      }
      for (const job of jobs) {
        if (job.kind !== "exclusive") continue;
        try {
          job.resolve(await job.run());
        } catch (error) {
          job.reject(error);
        }
      }
    }
    this.draining = false;
  }
}
