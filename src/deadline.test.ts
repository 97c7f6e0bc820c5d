import { describe, expect, it } from 'vitest';
import { beforeDeadline, deadlineIn } from './deadline.js';

const passed = new Error('deadline passed');

function pending<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

describe('beforeDeadline', () => {
  it("gives the work's value or failure when it comes first", async () => {
    const controller = new AbortController();
    await expect(beforeDeadline(Promise.resolve(1), controller.signal)).resolves.toBe(1);
    await expect(beforeDeadline(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow('no');
  });

  it("rejects with the deadline's reason when it passes first, and hands a late value to `overtaken`", async () => {
    const controller = new AbortController();
    const work = pending<string>();
    const overtaken: string[] = [];
    const raced = beforeDeadline(work.promise, controller.signal, (late) => overtaken.push(late));
    controller.abort(passed);
    await expect(raced).rejects.toBe(passed);
    work.resolve('connection');
    await work.promise;
    expect(overtaken).toEqual(['connection']);
  });

  it('rejects at once when the deadline has passed already', async () => {
    const controller = new AbortController();
    controller.abort(passed);
    await expect(beforeDeadline(pending<number>().promise, controller.signal)).rejects.toBe(passed);
  });
});

describe('deadlineIn', () => {
  it('fires with its reason, and not once cleared', async () => {
    const fired = deadlineIn(1, () => passed);
    await new Promise<void>((resolve) => fired.signal.addEventListener('abort', () => resolve()));
    expect(fired.signal.reason).toBe(passed);

    const cleared = deadlineIn(1, () => passed);
    cleared.clear();
    const later = deadlineIn(20, () => passed);
    await new Promise<void>((resolve) => later.signal.addEventListener('abort', () => resolve()));
    expect(cleared.signal.aborted).toBe(false);
  });
});
