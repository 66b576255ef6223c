// Typed error codes of the API with the zh-CN message the clerk sees. Services throw AppError;
// both hosts turn it into the same error envelope; the renderer turns it back into an AppError.
import { z } from 'zod';

import { errorMessages, type ApiError, type ErrorCode } from './app-error';

export { AppError, errorMessages, type ApiError, type ErrorCode } from './app-error';

export const errorCodes = Object.keys(errorMessages) as [ErrorCode, ...ErrorCode[]];

export const ApiErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** Field-level problems for VALIDATION, by path (e.g. "idNumber"). */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
// The schema and the zod-free ApiError type (app-error.ts) describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.infer<typeof ApiErrorSchema>, ApiError> = true;
void schemaMatchesType;

/** What every call returns over either transport. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };
