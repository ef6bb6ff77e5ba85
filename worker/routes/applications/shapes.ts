import { z } from '@hono/zod-openapi';
import type { applications } from '../../../db/schema';
import { LevelRank, Password, PersonName, Phone, Region, Wechat } from '../../schemas';

export const ApplyBody = z
  .object({
    inviteCode: z
      .string()
      .regex(/^[0-9a-z]{8}$/)
      .optional()
      .openapi({ description: 'Code from the inviting agent’s link; without it the brand recruits directly' }),
    name: PersonName,
    phone: Phone,
    wechat: Wechat,
    region: Region,
    level: LevelRank,
    password: Password,
  })
  .strict()
  .openapi('Application');

const Party = z.object({ id: z.string().nullable(), name: z.string() });
export const ApplicationView = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    name: z.string(),
    phone: z.string(),
    wechat: z.string(),
    region: z.string(),
    level: z.number().int(),
    referrerId: z.string().nullable(),
    supplierId: z.string().nullable().openapi({ description: 'Who approves: null is the brand' }),
    reason: z.string().nullable(),
    agentId: z.string().nullable(),
    createdAt: z.number().int(),
    decidedAt: z.number().int().nullable(),
  })
  .openapi('ApplicationView');

export const ApplicationStatus = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    name: z.string(),
    level: z.number().int(),
    levelName: z.string(),
    approver: Party,
    reason: z.string().nullable(),
    createdAt: z.number().int(),
    decidedAt: z.number().int().nullable(),
  })
  .openapi('ApplicationStatus');

export const Invite = z
  .object({
    code: z.string(),
    agent: z.object({ name: z.string(), level: z.number().int(), levelName: z.string() }),
    levels: z.array(z.object({ rank: z.number().int(), name: z.string() })),
  })
  .openapi('Invite');

export const CodeParam = z.object({
  code: z
    .string()
    .max(16)
    .openapi({ param: { name: 'code', in: 'path' } }),
});

export function toView(row: typeof applications.$inferSelect): z.infer<typeof ApplicationView> {
  const { passwordHash: _p, decidedBy: _d, ...rest } = row;
  return rest;
}
