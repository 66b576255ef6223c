import { z } from 'zod';
import { normalizeIdInput } from '../domain/id-number';

/**
 * The API accepts an ID number as typed or read from a card: full-width digits made half-width, spaces and dashes inside removed, 'x' upper-cased (normalizeIdInput). Whether it
 * is a valid number (check digit, birth date) is decided by the service so that the clerk gets
 * the specific reason; here only the shape is bounded so hostile input never reaches a query.
 */
export const validateIdNumberShape = z
  .string()
  .max(64, '身份证号码过长')
  .transform((s) => normalizeIdInput(s))
  .refine((s) => s.length <= 32, '身份证号码过长');
