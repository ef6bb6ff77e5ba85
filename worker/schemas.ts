import { z } from '@hono/zod-openapi';
import { agentStatuses } from './domain/types';

// Field schemas shared by routes. Messages are keys that errors.ts renders in the caller's language.

// Control characters (NUL, escapes) and the invisible bidi controls (U+202E and its kin, isolates, marks) let a name
// or an address read differently from what it is, on a certificate, in a list or in a spreadsheet export; refused in
// every text a person types. Multi-line text keeps its tabs and line breaks.
const invisible = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const control = /\p{Cc}/u;
const safeLine = (text: string) => !invisible.test(text) && !control.test(text);
const safeBlock = (text: string) => safeLine(text.replace(/[\t\n\r]/g, ''));

/** One line a person types (a name, a region, a reason), trimmed, `min` to `max` characters. */
export const TextLine = (max: number, min = 1) =>
  z.string().trim().min(min, 'blank').max(max).refine(safeLine, 'unsafeText');

/** Free text that may span lines (a description, a note). */
export const TextBlock = (max: number, min = 0) =>
  z.string().trim().min(min, 'blank').max(max).refine(safeBlock, 'unsafeText');

const trimmed = (max: number) => TextLine(max);

/** A phone as people type it ("138 1234 5678", "+86 138-1234-5678") reduced to its 11 digits before it is checked. */
export function normalisePhone(raw: string): string {
  return raw.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
}

export const Phone = z
  .string()
  .max(20, 'phone')
  .transform(normalisePhone)
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'phone'))
  .openapi({ example: '13812345678', type: 'string' });
export const Wechat = z
  .string()
  .regex(/^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/, 'wechat')
  .openapi({ example: 'zhang_wei88' });
export const Password = z.string().min(8, 'password').max(64, 'password').openapi({ example: 'demo1234' });
export const PersonName = trimmed(40).openapi({ example: '张伟' });
export const Region = trimmed(60).openapi({ example: '浙江省杭州市' });
export const Reason = trimmed(200);
export const LevelRank = z.number().int().min(1).max(9).openapi({ example: 6 });
export const Fen = z.number().int().min(0).max(1_000_000_000).openapi({ description: 'Amount in fen (分)' });
export const AgentStatus = z.enum(agentStatuses);
export const Id = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`))
    .openapi({ example: `${prefix}_01jx0000000000000000000000` });

export const PageQuery = z.object({
  cursor: z.string().max(64).optional().openapi({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

// Pages are fetched one row beyond the limit to know whether another page exists.
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

// The `{id}` of a path.
export const IdParam = z.object({
  id: z
    .string()
    .max(40)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const AgentIdParam = z.object({
  id: z
    .string()
    .max(40)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'me' }),
});
