/**
 * Gathers calls made in one turn of the event loop into one statement:
 * each call waits for the batch it joined, and gets its own answer from it.
 * On a server that syncs every commit to disk, a commit is the cost of a
 * small write (milliseconds); a batch pays it once for all its rows.
 */
export class StatementBatcher<Request, Answer> {
  private pending: Array<{ request: Request; resolve: (answer: Answer) => void; reject: (error: unknown) => void }> =
    [];
  private scheduled = false;

  constructor(
    /** Runs one batch; answers are in the order of the requests. */
    private readonly run: (requests: readonly Request[]) => Promise<readonly Answer[]>,
    private readonly maxBatch = 1000,
  ) {}

  call(request: Request): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.run(batch.map((b) => b.request)).then(
      (answers) => batch.forEach((b, i) => b.resolve(answers[i] as Answer)),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
