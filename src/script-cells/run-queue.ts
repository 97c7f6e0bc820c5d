/**
 * At most `concurrency` runs at once and `queueLength` waiting; beyond that a run is refused at
 * once (the caller answers 429) rather than started late or piled up.
 */
export class RunQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLength: number,
  ) {}

  /** A place, decided synchronously: null when full, else a promise of the release function once it may start. */
  tryEnter(): Promise<() => void> | null {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queueLength) return null;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.releaser())));
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The place passes straight to the next in line.
      if (next) next();
      else this.running--;
    };
  }
}
