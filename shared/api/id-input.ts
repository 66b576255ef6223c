import { z } from 'zod';

/**
 * The API accepts an ID number as typed or read from a card: trimmed, 'x' upper-cased. Whether it
 * is a valid number (check digit, birth date) is decided by the service so that the clerk gets
 * the specific reason; here only the shape is bounded so hostile input never reaches a query.
 */
export const validateIdNumberShape = z
  .string()
  .trim()
  .max(32, '身份证号码过长')
  .transform((s) => s.toUpperCase());
