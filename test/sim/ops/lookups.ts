import type { Op } from './common';
import { same } from './common';

const certLookup: Op = {
  name: 'certLookup',
  weight: (m) => (m.agents.length > 0 ? 1.5 : 0),
  async run(ctx) {
    const agent = ctx.rng.pick(ctx.m.agents);
    if (!agent) return;
    const res = await ctx.call<{ status: string; level: number; phone: string }>(
      `/api/certificates/lookup?number=${agent.certNumber}`,
    );
    ctx.note(`${ctx.name(agent.id)} (${agent.status}) → ${ctx.expect(res, [200])} ${res.body.status}`);
    // The certificate follows its agent (issued today for a year, so never expired here).
    const want = { active: 'valid', suspended: 'suspended', revoked: 'revoked' }[agent.status];
    same(ctx, 'certificate status', res.body.status, want);
    same(ctx, 'certificate level', res.body.level, agent.level);
    if (res.body.phone === agent.phone) ctx.fail('leak:phone', 'the public lookup shows the whole phone number');
  },
};

export const lookupOps: Op[] = [certLookup];
