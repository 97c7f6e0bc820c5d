/** The report API's answers as the notebook receives them (type-only imports: erased from the bundle). */
import type { Json } from '../api/types.js';
import type { Figure } from '../../../src/domain/reports/figure.js';
import type { WeeklyReport as ServerReport } from '../../../src/domain/reports/model.js';
import type { ReportWeek } from '../../../src/domain/reports/recent-weeks.js';

export type { Figure, ReportWeek };
export type WeeklyReport = Json<ServerReport>;
export type ResponseStats = WeeklyReport['response']['overall'];

/** `GET /api/v1/reports/weeks`. */
export interface ReportWeekList {
  tz: string;
  weeks: ReportWeek[];
}
