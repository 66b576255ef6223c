// Codes of the payer registry and the zh-CN labels the clerk sees, without their schemas: the
// renderer reads these labels and must not load zod for them (shared/domain/payer.ts adds the
// schemas and re-exports everything here).

export const channelCodes = ['counter', 'bank_pos', 'bank_counter', 'mobile_app'] as const;
export type Channel = (typeof channelCodes)[number];
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
export type SpecialGroupCode = (typeof specialGroupCodes)[number];
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
export type RegistrationStatus = (typeof registrationStatusCodes)[number];
export const registrationStatusLabels: Record<RegistrationStatus, string> = {
  active: '正常参保',
  suspended: '暂停缴费',
  receiving: '已领取待遇',
  terminated: '终止参保',
};

export const genderCodes = ['male', 'female'] as const;
export type Gender = (typeof genderCodes)[number];
export const genderLabels: Record<Gender, string> = { male: '男', female: '女' };
