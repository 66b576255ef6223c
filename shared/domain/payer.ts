// Core vocabulary of the payer registry, shared by the store, the policy engine, the API
// contract and the UI. Codes are stable identifiers stored in the database and sent upstream;
// the zh-CN labels are what the clerk sees.
import { z } from 'zod';

export const channelCodes = ['counter', 'bank_pos', 'bank_counter', 'mobile_app'] as const;
export const Channel = z.enum(channelCodes);
export type Channel = z.infer<typeof Channel>;
export const channelLabels: Record<Channel, string> = {
  counter: '办税服务厅',
  bank_pos: '银行POS',
  bank_counter: '银行柜面',
  mobile_app: '手机App',
};

/** 特殊群体. Which ones a region recognises, and what the government pays for them, is policy data. */
export const specialGroupCodes = [
  'severe_disability', // 重度残疾 (一、二级)
  'dibao', // 低保对象
  'tekun', // 特困人员
  'poverty_registered', // 建档立卡贫困人口
  'relapse_poverty', // 返贫致贫人口
  'monitored', // 监测对象
] as const;
export const SpecialGroupCode = z.enum(specialGroupCodes);
export type SpecialGroupCode = z.infer<typeof SpecialGroupCode>;
export const specialGroupLabels: Record<SpecialGroupCode, string> = {
  severe_disability: '重度残疾',
  dibao: '低保对象',
  tekun: '特困人员',
  poverty_registered: '建档立卡贫困人口',
  relapse_poverty: '返贫致贫人口',
  monitored: '监测对象',
};

/** 参保状态 in the residents' scheme. */
export const registrationStatusCodes = [
  'active', // 正常参保缴费
  'suspended', // 暂停缴费 (e.g. moved to the employees' scheme for a while)
  'receiving', // 已领取待遇 (drawing the pension)
  'terminated', // 终止参保 (death, emigration, transfer out)
] as const;
export const RegistrationStatus = z.enum(registrationStatusCodes);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;
export const registrationStatusLabels: Record<RegistrationStatus, string> = {
  active: '正常参保',
  suspended: '暂停缴费',
  receiving: '已领取待遇',
  terminated: '终止参保',
};

export const Gender = z.enum(['male', 'female']);
export type Gender = z.infer<typeof Gender>;
export const genderLabels: Record<Gender, string> = { male: '男', female: '女' };

/** A calendar date as YYYY-MM-DD (no time zone: a civil date in the hall's zone). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '日期无效');
export type IsoDate = z.infer<typeof IsoDate>;
