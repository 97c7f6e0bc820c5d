import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** WCAG 2.0 and 2.1, levels A and AA: the rules issue #18 holds every page to. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's WCAG 2 A/AA rules run in `page` as it is now; the violations, one
 * line per element (rule, impact, CSS target, axe's summary of what to fix),
 * so a failing `toEqual([])` says what to change and where.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Injected with `evaluate`, not a <script> tag: the notebook's CSP refuses inline scripts.
  await page.evaluate(axe.source);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_AA_TAGS,
  );
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${node.impact ?? violation.impact}) at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s*\n\s*/g, ' ')}`,
    ),
  );
}
