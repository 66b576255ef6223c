// zh-CN sentences for the engine's reason and warning codes. The codes are what programs test;
// the sentences are what the clerk reads aloud to the payer, so they name dates and numbers.
import type { ReasonCode } from './schema';

export interface ReasonContext {
  year: number;
  paidTierFen?: number;
  waitEnds?: string;
  minAge?: number;
  pensionAge?: number;
  reachesMinAge?: string;
  untilAge?: number;
  capYears?: number;
  maxYearsBack?: number;
}

function yuan(fen: number): string {
  return fen % 100 === 0 ? `${fen / 100}元` : `${(fen / 100).toFixed(2)}元`;
}

export function reasonMessage(code: ReasonCode, c: ReasonContext): string {
  switch (code) {
    case 'not_registered':
      return '尚未办理城乡居民养老保险参保登记，请先登记';
    case 'registration_terminated':
      return '参保关系已终止，不能缴费';
    case 'receiving_pension':
      return '已按月领取养老待遇，不能再缴费';
    case 'registration_suspended':
      return '参保状态为暂停缴费，请先恢复参保状态';
    case 'already_paid':
      return c.paidTierFen !== undefined && c.paidTierFen > 0
        ? `${c.year}年度已按${yuan(c.paidTierFen)}档缴费，不能重复缴费或更改档次`
        : `${c.year}年度已缴费，不能重复缴费`;
    case 'in_employees_scheme':
      return `${c.year}年度已参加城镇职工基本养老保险，不能同时缴纳城乡居民养老保险费`;
    case 'registration_wait':
      return `新参保人员须在登记7日后缴费，${c.waitEnds ?? ''}起方可缴费`;
    case 'too_young':
      return `未满${c.minAge ?? 16}周岁，${c.reachesMinAge ?? ''}年满${c.minAge ?? 16}周岁后方可缴费`;
    case 'past_pension_age':
      return `已超过${c.pensionAge ?? 60}周岁到龄年度，不能再缴费`;
    case 'over_lump_sum_age':
      return `已满${c.untilAge ?? 65}周岁，不能再补缴`;
    case 'cap_reached':
      return `已满${c.pensionAge ?? 60}周岁或临近到龄，累计缴费已达${c.capYears ?? 15}年上限，不能再缴费`;
    case 'back_payment_not_allowed':
      return `本地区不允许补缴以前年度（${c.year}年度）`;
    case 'beyond_back_payment_window':
      return `${c.year}年度超出可补缴的年限（最多补缴${c.maxYearsBack ?? 0}年）`;
    case 'no_policy_for_year':
      return `缺少${c.year}年度的缴费政策表，无法计算`;
    case 'no_tier_available':
      return `${c.year}年度没有可选的缴费档次`;
    case 'before_back_payment_start':
      return `${c.year}年度早于可补缴的起始年度`;
    case 'lump_sum_not_allowed':
      return '本地区不允许一次性补缴';
    case 'minimum_years_reached':
      return `累计缴费已满${c.capYears ?? 15}年，无需一次性补缴`;
    case 'not_yet_pension_age':
      return `未满${c.pensionAge ?? 60}周岁，不能一次性补缴`;
  }
}

export { yuan as formatYuan };
