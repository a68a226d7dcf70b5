// Merges requests that arrive while the model is busy (or within a short window) into one call, so
// fifty phones tapping "draw" in the same second cost a few batched model calls, not fifty.

export class RequestBatcher<Req, Res> {
  private queue: { request: Req; resolve: (r: Res) => void; reject: (e: unknown) => void }[] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly run: (requests: Req[]) => Promise<Res[]>,
    private readonly windowMs = 10,
    private readonly maxBatch = 512,
  ) {}

  enqueue(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, this.windowMs);
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((b) => b.request));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
  }
}
