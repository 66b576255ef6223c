// The 好差评 ratings of one business day (one operator, or the whole hall), for the 日汇总单.
import { evaluationLevelCodes, evaluationLevelLabels, EVALUATION_SKIPPED_LABEL, type EvaluationLevel } from '../../../shared/vocab';
import type { Db } from '../../platform/db/database';
import * as sql from '../../platform/db/sql';

export interface EvaluationTally {
  counts: Record<EvaluationLevel, number>;
  skipped: number;
}

export function evaluationTally(db: Db, businessDate: string, operatorId: number | null): EvaluationTally {
  const rows = sql.all<{ outcome: 'rated' | 'skipped'; level: EvaluationLevel | null; n: number }>(
    db,
    `SELECT outcome, level, count(*) AS n FROM service_evaluations
        WHERE business_date = @date AND (@op IS NULL OR operator_id = @op) GROUP BY outcome, level`,
    { date: businessDate, op: operatorId },
  );
  const tally: EvaluationTally = { counts: Object.fromEntries(evaluationLevelCodes.map((l) => [l, 0])) as Record<EvaluationLevel, number>, skipped: 0 };
  for (const r of rows) {
    if (r.level) tally.counts[r.level] += r.n;
    else tally.skipped += r.n;
  }
  return tally;
}

/** The summary's line: 服务评价（好差评）：非常满意 3、满意 1、基本满意 0、不满意 0、非常不满意 0；未评价 2。 */
export function evaluationLine(t: EvaluationTally): string {
  const levels = evaluationLevelCodes.map((l) => `${evaluationLevelLabels[l]} ${t.counts[l]}`).join('、');
  return `服务评价（好差评）：${levels}；${EVALUATION_SKIPPED_LABEL} ${t.skipped}。`;
}
