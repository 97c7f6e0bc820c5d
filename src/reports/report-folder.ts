import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportFolder } from '../domain/reports/deliver-report.js';

/**
 * ALERTBOOK_REPORT_DIR on disk, created when first written to. A file is
 * written beside its final name and renamed into place, so a reader never
 * sees half a report.
 */
export function reportFolderOnDisk(dir: string): ReportFolder {
  return {
    async write(name, text) {
      await mkdir(dir, { recursive: true });
      const partial = join(dir, `.${name}.partial`);
      await writeFile(partial, text);
      await rename(partial, join(dir, name));
    },
  };
}
