/** A phone as people type or paste it ("138 1234 5678", "+86 138-1234-5678") reduced to its digits, as the API does. */
export function phoneDigits(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
}

/** Room for the spaces, dashes and +86 a typed or pasted phone carries before it is reduced to 11 digits. */
export const PHONE_MAX_TYPED = 17;
