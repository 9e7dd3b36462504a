/**
 * Requests held by a `late-completion` fault: each is processed once the simulator clock reaches its
 * due time. Judged by the simulator's `now()` only, so that a test with a fake clock decides exactly when
 * they happen; a real timer (unref'd, polling at most every `POLL_MS` while some are pending) applies
 * them when the clock is the real one. Due ones run earliest first, ties in arrival order.
 */

interface PendingCompletion {
  dueAt: Date;
  /** Processes the request as at `dueAt` and answers it if the client still listens. */
  complete(dueAt: Date): void;
  /** Drops it unprocessed (reset, close). */
  abandon(): void;
}

/** A fake clock may be moved without any request coming: look again this often. */
const POLL_MS = 250;

export class LateCompletions {
  private pending: PendingCompletion[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => Date) {}

  add(completion: PendingCompletion): void {
    this.pending.push(completion);
    this.arm();
  }

  /** Runs every completion due by `now()`; answers how many ran. */
  flushDue(): number {
    const now = this.now().getTime();
    const due = this.pending.filter((completion) => completion.dueAt.getTime() <= now);
    if (due.length > 0) {
      this.pending = this.pending.filter((completion) => !due.includes(completion));
      // A stable sort keeps arrival order among completions due at the same moment.
      due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
      for (const completion of due) completion.complete(completion.dueAt);
    }
    this.arm();
    return due.length;
  }

  /** Drops every pending completion unprocessed, and stops the timer. */
  abandonAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const abandoned = this.pending;
    this.pending = [];
    for (const completion of abandoned) completion.abandon();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const nextDue = Math.min(...this.pending.map((completion) => completion.dueAt.getTime()));
    const wait = Math.min(Math.max(nextDue - this.now().getTime(), 0), POLL_MS);
    this.timer = setTimeout(() => this.flushDue(), wait);
    this.timer.unref();
  }
}
