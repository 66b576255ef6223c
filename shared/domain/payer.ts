// Core vocabulary of the payer registry, shared by the store, the policy engine, the API
// contract and the UI. Codes are stable identifiers stored in the database and sent upstream;
// the zh-CN labels are what the clerk sees.
import { z } from 'zod';
import { channelCodes, genderCodes, registrationStatusCodes, specialGroupCodes } from './payer-codes';

export {
  channelCodes,
  channelLabels,
  genderCodes,
  genderLabels,
  registrationStatusCodes,
  registrationStatusLabels,
  specialGroupCodes,
  specialGroupLabels,
} from './payer-codes';

export const Channel = z.enum(channelCodes);
export type Channel = z.infer<typeof Channel>;
export const SpecialGroupCode = z.enum(specialGroupCodes);
export type SpecialGroupCode = z.infer<typeof SpecialGroupCode>;
export const RegistrationStatus = z.enum(registrationStatusCodes);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;
export const Gender = z.enum(genderCodes);
export type Gender = z.infer<typeof Gender>;

/** A calendar date as YYYY-MM-DD (no time zone: a civil date in the hall's zone). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '日期无效');
export type IsoDate = z.infer<typeof IsoDate>;
