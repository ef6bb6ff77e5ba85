import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../worker/env';
import { changedGuard } from './guard';
import { memberAddresses } from './schema';

// A member's saved addresses: few (MAX_ADDRESSES), one default. Every write is one batch whose guard aborts it when
// the member already has the most it may keep or the address is not the member's.

export const MAX_ADDRESSES = 10;

export type AddressInput = { name: string; phone: string; address: string };
export type AddressRow = typeof memberAddresses.$inferSelect;

export function addressesQuery(db: Db, memberId: string) {
  return db
    .select()
    .from(memberAddresses)
    .where(eq(memberAddresses.memberId, memberId))
    .orderBy(desc(memberAddresses.isDefault), desc(memberAddresses.id))
    .limit(MAX_ADDRESSES);
}

/** Where a page ends: the default first, then newest first (the order of member_addresses_member). */
export interface AddressCursor {
  isDefault: boolean;
  id: string;
}

/** One page of the member's addresses, fetched `take` rows at a time after `after`. */
export function addressPageQuery(db: Db, memberId: string, after: AddressCursor | null, take: number) {
  const a = memberAddresses;
  return db
    .select()
    .from(a)
    .where(
      and(
        eq(a.memberId, memberId),
        after
          ? after.isDefault
            ? or(eq(a.isDefault, false), and(eq(a.isDefault, true), lt(a.id, after.id)))
            : and(eq(a.isDefault, false), lt(a.id, after.id))
          : undefined,
      ),
    )
    .orderBy(desc(a.isDefault), desc(a.id))
    .limit(take);
}

const clearDefault = (db: Db, memberId: string, when = true) =>
  db
    .update(memberAddresses)
    .set({ isDefault: false })
    .where(and(eq(memberAddresses.memberId, memberId), eq(memberAddresses.isDefault, true), sql`${when ? 1 : 0} = 1`));

/** The new row goes in only while the member has fewer than MAX_ADDRESSES; its first address is the default. */
export function insertAddressWrites(db: Db, row: AddressRow) {
  const { id, memberId, name, phone, address, createdAt } = row;
  return [
    clearDefault(db, memberId, row.isDefault),
    // Columns in table order: id, member_id, name, phone, address, is_default, created_at.
    db.insert(memberAddresses).select(
      sql`SELECT ${id}, ${memberId}, ${name}, ${phone}, ${address},
          CASE WHEN ${row.isDefault ? 1 : 0} = 1
            OR NOT EXISTS (SELECT 1 FROM member_addresses WHERE member_id = ${memberId}) THEN 1 ELSE 0 END,
          ${createdAt}
        WHERE (SELECT count(*) FROM member_addresses WHERE member_id = ${memberId}) < ${MAX_ADDRESSES}`,
    ),
    changedGuard(db),
  ] as const;
}

export function setDefaultWrites(db: Db, memberId: string, id: string) {
  return [
    clearDefault(db, memberId),
    db
      .update(memberAddresses)
      .set({ isDefault: true })
      .where(and(eq(memberAddresses.id, id), eq(memberAddresses.memberId, memberId))),
    changedGuard(db),
  ] as const;
}

export function deleteAddressWrites(db: Db, memberId: string, id: string) {
  return [
    db.delete(memberAddresses).where(and(eq(memberAddresses.id, id), eq(memberAddresses.memberId, memberId))),
    changedGuard(db),
  ] as const;
}

/** Changes the member's own address; `makeDefault` moves the default to it (false leaves the default where it is). */
export function updateAddressWrites(db: Db, memberId: string, id: string, input: AddressInput, makeDefault: boolean) {
  return [
    clearDefault(db, memberId, makeDefault),
    db
      .update(memberAddresses)
      .set({ ...input, ...(makeDefault ? { isDefault: true } : {}) })
      .where(and(eq(memberAddresses.id, id), eq(memberAddresses.memberId, memberId))),
    changedGuard(db),
  ] as const;
}
