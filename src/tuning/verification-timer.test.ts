import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startVerification } from './verification-timer.js';

describe('startVerification', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const logger = { info: vi.fn(), error: vi.fn() };

  it('runs the check every interval, one at a time, logs a failure and keeps going until stopped', async () => {
    let release: () => void = () => {};
    const verifyDue = vi
      .fn<() => Promise<number>>()
      .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(2))))
      .mockRejectedValueOnce(new Error('database gone'))
      .mockResolvedValue(0);
    const timer = startVerification({ decisions: { verifyDue }, logger, everyMs: 1000 });

    await vi.advanceTimersByTimeAsync(2500);
    // The first run has not ended: the ticks at 2 s did not start another.
    expect(verifyDue).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(logger.info).toHaveBeenCalledWith('tuning decisions verified', { verified: 2 });
    expect(verifyDue).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(logger.error).toHaveBeenCalledWith('tuning verification failed', { error: 'Error: database gone' });
    expect(verifyDue).toHaveBeenCalledTimes(3);

    await timer.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(verifyDue).toHaveBeenCalledTimes(3);
  });
});
