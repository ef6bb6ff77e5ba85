import { sql } from 'drizzle-orm';
import { brand } from '../db/schema';
import type { PayoutKindName } from './domain/brandSettings';
import { AppError } from './errors';
import { payoutKindNames } from './errorWords';
import type { Lang } from './i18n';

/** Refuses a payout account the brand does not pay to, naming the field and the kinds it does accept. */
export function kindNotAccepted(lang: Lang, kind: PayoutKindName, accepted: readonly PayoutKindName[], field: string) {
  const word = (k: string) => payoutKindNames[k]?.[lang] ?? k;
  return new AppError('PAYOUT_KIND_NOT_ACCEPTED', {
    field,
    params: { kind: word(kind), accepted: accepted.map(word).join(lang === 'en' ? ', ' : '、') },
  });
}

// For a conditional write: true while the brand still accepts `kind` (a setting changed meanwhile aborts the batch).
export function kindAccepted(kind: PayoutKindName) {
  return sql`EXISTS (SELECT 1 FROM ${brand}, json_each(${brand.payoutKinds}) WHERE ${brand.id} = 1 AND json_each.value = ${kind})`;
}
