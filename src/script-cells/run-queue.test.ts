import { describe, expect, it } from 'vitest';
import { RunQueue } from './run-queue.js';

describe('RunQueue', () => {
  it('admits `concurrency` at once, queues `queueLength`, refuses the rest synchronously', async () => {
    const queue = new RunQueue(1, 1);
    const first = queue.tryEnter();
    const second = queue.tryEnter();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(queue.tryEnter()).toBeNull();
    expect(queue.size).toEqual({ running: 1, waiting: 1 });

    let secondStarted = false;
    void second!.then(() => (secondStarted = true));
    const releaseFirst = await first!;
    await Promise.resolve();
    expect(secondStarted).toBe(false);
    releaseFirst();
    const releaseSecond = await second!;
    expect(queue.size).toEqual({ running: 1, waiting: 0 });
    releaseSecond();
    releaseSecond();
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });
});
