import { createRoute, z } from '@hono/zod-openapi';
import { orderStatusWords } from '../../domain/orderWords';
import { checkShipRow } from '../../domain/shipRows';
import { AppError, errorResponses, messageFor } from '../../errors';
import { createRouter } from '../../http';
import { requireCaller } from '../../middleware/session';
import { jsonBody, jsonResponse } from '../../schemas';
import { ship } from './fulfil';

// At most this many rows a request: each row reads its order and writes one batch, and a Worker request has a
// bounded number of D1 queries. The console sends a file of up to 500 rows in requests of this size.
const ROWS_PER_REQUEST = 50;

const Cell = z.string().max(200);

const fieldWords = {
  zh: {
    order: '订单号无效',
    carrier: '请填写快递公司（最多 40 字）',
    trackingNo: '快递单号应为 4–40 位字母、数字或减号',
  },
  en: {
    order: 'Not a valid order number',
    carrier: 'Enter the carrier (up to 40 characters)',
    trackingNo: 'A tracking number has 4–40 letters, digits or dashes',
  },
};

const RowResult = z.object({
  row: z.number().int(),
  orderId: z.string(),
  ok: z.boolean(),
  status: z.string().optional(),
  code: z.string().optional(),
  field: z.string().optional(),
  message: z.string().optional().openapi({ description: 'Why the row failed, in the caller’s language' }),
});

export const shipRowsRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/orders/ship-rows',
    tags: ['orders'],
    summary: 'Ship from the rows of an uploaded spreadsheet; each row succeeds or fails on its own, with the reason',
    request: jsonBody(
      z.strictObject({
        rows: z
          .array(
            z.strictObject({
              row: z.number().int().min(1).max(100_000).openapi({ description: 'The row number in the file' }),
              order: Cell,
              carrier: Cell,
              trackingNo: Cell,
            }),
          )
          .min(1)
          .max(ROWS_PER_REQUEST),
      }),
    ),
    responses: {
      200: jsonResponse(z.object({ results: z.array(RowResult) }), 'One result per row'),
      ...errorResponses,
    },
  }),
  async (c) => {
    requireCaller(c);
    const lang = c.var.lang;
    const results: z.infer<typeof RowResult>[] = [];
    for (const input of c.req.valid('json').rows) {
      const checked = checkShipRow(input);
      const orderId = input.order.trim();
      if (!checked.ok) {
        results.push({
          row: input.row,
          orderId,
          ok: false,
          code: 'VALIDATION_FAILED',
          field: checked.field,
          message: fieldWords[lang][checked.field],
        });
        continue;
      }
      try {
        const view = await ship(c, checked.orderId, { carrier: checked.carrier, trackingNo: checked.trackingNo });
        results.push({ row: input.row, orderId: checked.orderId, ok: true, status: view.status });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // The order's state in words (已发货), not the API's code.
        const state = String(err.opts.params?.state ?? '');
        const words = orderStatusWords[lang] as Record<string, string>;
        const message = messageFor(err.code, lang, { ...err.opts.params, state: words[state] ?? state });
        results.push({ row: input.row, orderId: checked.orderId, ok: false, code: err.code, message });
      }
    }
    return c.json({ results }, 200);
  },
);
