/** Reconnect delays: doubling from half a second to 15 s, each shortened by up to half at random. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15_000, 500 * 2 ** attempt);
  return ceiling * (0.5 + random() / 2);
}
