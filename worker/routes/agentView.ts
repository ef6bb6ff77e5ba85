import { z } from '@hono/zod-openapi';
import { agents } from '../../db/schema';

// The columns any reader of an agent may get (never the password hash).
export const agentColumns = {
  id: agents.id,
  code: agents.code,
  name: agents.name,
  phone: agents.phone,
  wechat: agents.wechat,
  region: agents.region,
  level: agents.level,
  status: agents.status,
  statusReason: agents.statusReason,
  supplierId: agents.supplierId,
  referrerId: agents.referrerId,
  createdAt: agents.createdAt,
};

export const AgentView = z
  .object({
    id: z.string(),
    code: z.string().openapi({ description: 'Used in the shop link /s/{code} and the invite link /join?code={code}' }),
    name: z.string(),
    phone: z.string(),
    wechat: z.string(),
    region: z.string(),
    level: z.number().int(),
    status: z.enum(['active', 'suspended', 'revoked']),
    statusReason: z.string().nullable(),
    supplierId: z.string().nullable().openapi({ description: 'null: supplied by the brand' }),
    referrerId: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('Agent');
