import { createRoute, z } from '@hono/zod-openapi';
import { isGuardFailure, isUniqueFailure } from '../../db/guard';
import { newId } from '../../db/ids';
import {
  type AddressRow,
  addressesQuery,
  addressPageQuery,
  deleteAddressWrites,
  insertAddressWrites,
  MAX_ADDRESSES,
  setDefaultWrites,
  updateAddressWrites,
} from '../../db/memberAddresses';
import { AppError, errorResponses } from '../errors';
import { createRouter } from '../http';
import { memberOnly, requireCaller } from '../middleware/session';
import { IdParam, jsonBody, jsonResponse, PageQuery, PersonName, Phone, pageOf, TextLine, toPage } from '../schemas';

// A member's saved delivery addresses: checkout offers them, the default first. Only the member reads or changes its
// own (another's id is not found).

const Address = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    address: z.string(),
    isDefault: z.boolean(),
  })
  .openapi('SavedAddress');

const NewAddress = z
  .strictObject({
    name: PersonName,
    phone: Phone,
    address: TextLine(200, 5),
    isDefault: z.boolean().optional(),
  })
  .openapi('NewSavedAddress');

const ChangedAddress = NewAddress.openapi({
  description: 'The whole address; isDefault true makes it the default (false or absent leaves the default as it is)',
});

// A page ends at an address: whether it was the default (1 or 0), then its id.
const AddressPageQuery = PageQuery.extend({
  cursor: z
    .string()
    .regex(/^[01]:adr_[0-9a-z]{26}$/)
    .optional()
    .openapi({ description: 'nextCursor of the previous page' }),
});

const Addresses = z
  .object({ items: z.array(Address).max(MAX_ADDRESSES) })
  .openapi({ description: `At most ${MAX_ADDRESSES}, the default first: the whole list, no further page` });

const view = (r: AddressRow) => ({
  id: r.id,
  name: r.name,
  phone: r.phone,
  address: r.address,
  isDefault: r.isDefault,
});

const notFound = () => new AppError('NOT_FOUND', { params: { what: 'address' } });

export const memberAddressRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/members/me/addresses',
      tags: ['members'],
      summary: 'The signed-in member’s saved addresses, the default first, then the newest',
      request: { query: AddressPageQuery },
      responses: { 200: jsonResponse(pageOf(Address), 'A page of saved addresses'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'member');
      const { cursor, limit } = c.req.valid('query');
      const after = cursor ? { isDefault: cursor.startsWith('1'), id: cursor.slice(2) } : null;
      const rows = await addressPageQuery(c.var.db, caller.id, after, limit + 1);
      const page = toPage(rows, limit, (r) => `${r.isDefault ? 1 : 0}:${r.id}`);
      return c.json({ items: page.items.map(view), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/members/me/addresses',
      tags: ['members'],
      summary: `Save an address (at most ${MAX_ADDRESSES}); the first is the default`,
      request: jsonBody(NewAddress),
      responses: { 201: jsonResponse(Address, 'Saved'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'member');
      const body = c.req.valid('json');
      const db = c.var.db;
      const id = newId('adr');
      const row: AddressRow = {
        id,
        memberId: caller.id,
        name: body.name,
        phone: body.phone,
        address: body.address,
        isDefault: body.isDefault ?? false,
        createdAt: Date.now(),
      };
      try {
        await db.batch(insertAddressWrites(db, row));
      } catch (err) {
        if (isGuardFailure(err)) throw new AppError('ADDRESS_LIMIT', { params: { max: MAX_ADDRESSES } });
        throw err;
      }
      const saved = (await addressesQuery(db, caller.id)).find((r) => r.id === id);
      return c.json(view(saved ?? row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/members/me/addresses/{id}',
      tags: ['members'],
      summary: 'Change a saved address',
      middleware: [memberOnly] as const,
      request: { params: IdParam, ...jsonBody(ChangedAddress) },
      responses: { 200: jsonResponse(Address, 'Changed'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'member');
      const { id } = c.req.valid('param');
      const { isDefault, ...input } = c.req.valid('json');
      const db = c.var.db;
      try {
        await db.batch(updateAddressWrites(db, caller.id, id, input, isDefault === true));
      } catch (err) {
        if (isGuardFailure(err)) throw notFound();
        throw err;
      }
      const saved = (await addressesQuery(db, caller.id)).find((r) => r.id === id);
      if (!saved) throw notFound();
      return c.json(view(saved), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/members/me/addresses/{id}/default',
      tags: ['members'],
      summary: 'Make a saved address the default',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Addresses, 'Saved addresses'), ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'member');
      const db = c.var.db;
      try {
        await db.batch(setDefaultWrites(db, caller.id, c.req.valid('param').id));
      } catch (err) {
        if (isGuardFailure(err) || isUniqueFailure(err, 'member_id')) throw notFound();
        throw err;
      }
      return c.json({ items: (await addressesQuery(db, caller.id)).map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/members/me/addresses/{id}',
      tags: ['members'],
      summary: 'Delete a saved address',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const caller = requireCaller(c, 'member');
      const db = c.var.db;
      try {
        await db.batch(deleteAddressWrites(db, caller.id, c.req.valid('param').id));
      } catch (err) {
        if (isGuardFailure(err)) throw notFound();
        throw err;
      }
      return c.body(null, 204);
    },
  );
