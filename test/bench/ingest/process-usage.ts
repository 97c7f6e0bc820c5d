const SAMPLE_EVERY_MS = 50;

export interface ProcessUsage {
  /** Highest resident set size seen. */
  peakRssBytes: number;
  /** User + system CPU time this process used meanwhile. */
  cpuSeconds: number;
}

/**
 * Tracks this process' peak RSS and CPU time until `stop()`: run in the app's
 * process, that is the app and its database driver (not the database's
 * processes; the load generator is a process of its own). RSS is sampled only when the event loop is free, so a
 * long synchronous burst is seen just after it ends.
 */
export function trackProcessUsage(): { stop(): ProcessUsage } {
  const cpuAtStart = process.cpuUsage();
  // memoryUsage.rss() is memoryUsage().rss without walking the V8 heap spaces.
  let peakRssBytes = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, SAMPLE_EVERY_MS);
  return {
    stop() {
      clearInterval(timer);
      const cpu = process.cpuUsage(cpuAtStart);
      return {
        peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()),
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      };
    },
  };
}
