import type { ApiError } from './api';

export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  top: string | null;
}

export const noErrors = { fields: {}, top: null };

/**
 * Places an API error: under the input named by `error.field` when the form has one (and focuses it),
 * at the top of the form otherwise. `prefix` is the inputs' id prefix.
 */
export function placeError<F extends string>(error: ApiError, fields: readonly F[], prefix: string): FormErrors<F> {
  const field = fields.find((f) => f === error.field);
  if (!field) return { fields: {}, top: error.message };
  document.getElementById(`${prefix}${field}`)?.focus();
  return { fields: { [field]: error.message } as Partial<Record<F, string>>, top: null };
}

/** Focuses the first input that has an error, after client-side checks. */
export function focusFirst<F extends string>(fields: readonly F[], errors: Partial<Record<F, string>>, prefix: string) {
  const first = fields.find((f) => errors[f]);
  if (first) document.getElementById(`${prefix}${first}`)?.focus();
}
