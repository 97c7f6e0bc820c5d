/** The value of one series (`name{labels}` exactly as exposed) in a /metrics scrape; 0 when absent. */
export function metricSample(exposition: string, series: string): number {
  return Number(
    exposition
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1] ?? 0,
  );
}
