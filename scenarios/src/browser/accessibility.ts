import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AccessibilityResult {
  page: string;
  /** Serious and critical violations: any fails the flow. */
  blocking: { id: string; impact: string; help: string; targets: string[] }[];
  /** Minor and moderate ones, reported only. */
  other: { id: string; impact: string; help: string }[];
}

/** axe-core against WCAG 2.1 A and AA, on what the page shows now. The full report is saved. */
export async function checkAccessibility(
  page: Page,
  name: string,
  artefactsDir: string,
): Promise<AccessibilityResult> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  await writeFile(join(artefactsDir, `axe-${slug}.json`), JSON.stringify(results.violations, null, 2));
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  const other = results.violations
    .filter((violation) => violation.impact !== 'serious' && violation.impact !== 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact ?? 'unknown', help: violation.help }));
  return { page: name, blocking, other };
}
