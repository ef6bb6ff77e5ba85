import { describe, expect, it } from 'vitest';
import { allOf } from '../db/enums';
import { agentNotices, agents, inspections, teamMembers } from '../db/schema';
import { askedLines } from '../worker/domain/afterSales';
import { certificateStatus } from '../worker/domain/certificate';
import { firstRestockShortfall } from '../worker/domain/firstOrder';
import { heldDeltas, heldFen, paymentPostings, refundMoves } from '../worker/domain/holds';
import { account } from '../worker/domain/ledger';
import { levelSetProblem } from '../worker/domain/levels';
import { maskName, maskPhone } from '../worker/domain/mask';
import { consumerPayee } from '../worker/domain/orderFlow';
import { normaliseOrderNumber, orderNumber, trackingUrl } from '../worker/domain/orderNumber';
import {
  type ChainLink,
  downgradeBlockedBy,
  placeSupplier,
  supplierAfterLevelChange,
} from '../worker/domain/placement';
import { levelAboveRetail } from '../worker/domain/pricing';
import { settlementOf, statementFacts, statementWords } from '../worker/domain/statementWords';
import {
  type AgentStatus,
  agentStatuses,
  inspectionKinds,
  inspectionStatuses,
  noticeKinds,
} from '../worker/domain/types';

const link = (id: string, level: number, status: ChainLink['status'] = 'active'): ChainLink => ({ id, level, status });

describe('placeSupplier', () => {
  // recruiter r(3) → s(2) → t(1)
  const chain = [link('r', 3), link('s', 2), link('t', 1)];
  it('picks the recruiter for a lower level', () => expect(placeSupplier(chain, 5)).toBe('r'));
  it('picks the nearest strictly higher agent for the same level', () => expect(placeSupplier(chain, 3)).toBe('s'));
  it('skips agents of the applied level', () => expect(placeSupplier(chain, 2)).toBe('t'));
  it('falls back to the brand', () => expect(placeSupplier(chain, 1)).toBeNull());
  it('passes over suspended and revoked agents', () => {
    expect(placeSupplier([link('r', 3, 'suspended'), link('s', 2, 'revoked'), link('t', 1)], 5)).toBe('t');
  });
  it('without a recruiter the brand supplies', () => expect(placeSupplier([], 6)).toBeNull());
});

describe('supplierAfterLevelChange', () => {
  const above = [link('s', 2), link('t', 1)];
  it('keeps a supplier that is still strictly higher', () => {
    expect(supplierAfterLevelChange(above, 3)).toEqual({ supplierId: 's', leftAncestorIds: [] });
  });
  it('moves up past the agents it now equals', () => {
    expect(supplierAfterLevelChange(above, 2)).toEqual({ supplierId: 't', leftAncestorIds: ['s'] });
  });
  it('reaches the brand when nobody is higher', () => {
    expect(supplierAfterLevelChange(above, 1)).toEqual({ supplierId: null, leftAncestorIds: ['s', 't'] });
  });
  it('a brand-supplied agent stays with the brand', () => {
    expect(supplierAfterLevelChange([], 1)).toEqual({ supplierId: null, leftAncestorIds: [] });
  });
});

describe('downgradeBlockedBy', () => {
  it('blocks when a direct downline would be at or above the new level', () => {
    expect(downgradeBlockedBy(5, 5)).toBe(true);
    expect(downgradeBlockedBy(5, 4)).toBe(true);
    expect(downgradeBlockedBy(5, 6)).toBe(false);
    expect(downgradeBlockedBy(5, null)).toBe(false);
  });
});

describe('masks', () => {
  it('masks names and phones as the design shows', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳明月')).toBe('欧**月');
    expect(maskName('A')).toBe('*');
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
});

describe('levelSetProblem', () => {
  it('accepts 1..N and names the first missing rank', () => {
    expect(levelSetProblem([3, 1, 2])).toBeNull();
    expect(levelSetProblem([1, 3])).toBe('rank 2 missing');
    expect(levelSetProblem([])).toBe('at least one level');
    expect(levelSetProblem([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe('at most nine levels');
  });
});

describe('certificateStatus', () => {
  it('follows the agent and lapses at the end of validity', () => {
    expect(certificateStatus('active', 2000, 1000)).toBe('valid');
    expect(certificateStatus('active', 2000, 2000)).toBe('expired');
    expect(certificateStatus('suspended', 2000, 1000)).toBe('suspended');
    expect(certificateStatus('revoked', 2000, 3000)).toBe('revoked');
  });
});

describe('columns list the domain values (db/enums.ts)', () => {
  it('agent, team, inspection and notice columns hold exactly the domain lists', () => {
    expect(agents.status.enumValues).toEqual([...agentStatuses]);
    expect(teamMembers.status.enumValues).toEqual([...agentStatuses]);
    expect(inspections.kind.enumValues).toEqual([...inspectionKinds]);
    expect(inspections.status.enumValues).toEqual([...inspectionStatuses]);
    expect(agentNotices.kind.enumValues).toEqual([...noticeKinds]);
  });
  it('a column list missing a domain value does not compile', () => {
    // @ts-expect-error 'revoked' is missing
    expect(allOf<AgentStatus>()(['active', 'suspended'])).toHaveLength(2);
  });
});

describe('order numbers', () => {
  // 2026-12-04 23:59:59 in China is 15:59:59 UTC.
  const at = Date.UTC(2026, 11, 4, 15, 59, 59);
  it('are 18 digits: the China date, the second of that day, a random tail', () => {
    expect(orderNumber(at, 0.123456)).toBe('202612048639912345');
    expect(orderNumber(at + 1000, 0)).toBe('202612050000000000');
  });
  it('read what people type or paste, and nothing else', () => {
    expect(normaliseOrderNumber(' 20261204-86399 12345 ')).toBe('202612048639912345');
    expect(normaliseOrderNumber('２０２６１２０４８６３９９１２３４５')).toBe('202612048639912345');
    expect(normaliseOrderNumber('2026120486399')).toBeNull();
    expect(normaliseOrderNumber('ord_01abc')).toBeNull();
  });
  it('tracking links go to the carrier’s own page, else kuaidi100; odd numbers get none', () => {
    expect(trackingUrl('顺丰速运', 'SF123456')).toBe(
      'https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF123456',
    );
    expect(trackingUrl('中通快递', '7300123')).toBe('https://www.kuaidi100.com/chaxun?nu=7300123');
    expect(trackingUrl('中通快递', 'a b<c')).toBeNull();
    expect(trackingUrl(null, '7300123')).toBeNull();
  });
});

describe('askedLines (after-sales)', () => {
  const lines = [
    { productId: 'p1', qty: 3, refundedQty: 1, unitFen: 1000 },
    { productId: 'p2', qty: 1, refundedQty: 0, unitFen: 500 },
  ];
  it('no lines asks back everything not yet refunded', () => {
    expect(askedLines(lines, undefined)).toEqual({
      ok: true,
      lines: [
        { productId: 'p1', qty: 2 },
        { productId: 'p2', qty: 1 },
      ],
      amountFen: 2500,
    });
  });
  it('refuses more units than are left, or a product not in the order', () => {
    expect(askedLines(lines, [{ productId: 'p1', qty: 3 }])).toEqual({ ok: false, productId: 'p1' });
    expect(askedLines(lines, [{ productId: 'p9', qty: 1 }])).toEqual({ ok: false, productId: 'p9' });
  });
  it('refuses a fully refunded order', () => {
    expect(askedLines([{ productId: 'p1', qty: 1, refundedQty: 1, unitFen: 1000 }], undefined)).toEqual({
      ok: false,
      productId: null,
    });
  });
});

describe('firstRestockShortfall (首单金额)', () => {
  it('asks a first restock for what it lacks of the level’s amount, and nothing of a later one or without an amount', () => {
    expect(firstRestockShortfall(25_900, 30_000, false)).toBe(4_100);
    expect(firstRestockShortfall(30_000, 30_000, false)).toBe(0);
    expect(firstRestockShortfall(25_900, 30_000, true)).toBe(0);
    expect(firstRestockShortfall(100, 0, false)).toBe(0);
  });
});

describe('consumerPayee', () => {
  it('names the shop’s own agent and pays it offline in the cloud model', () => {
    expect(consumerPayee('cloud', 'offline', 'shop', 'shop', false)).toEqual({ payeeId: 'shop', sellerShown: true });
  });
  it('pays the agent a proved phone is bound to, and names it', () => {
    expect(consumerPayee('cloud', 'offline', 'bound', 'shop', true)).toEqual({ payeeId: 'bound', sellerShown: true });
  });
  it('hides another agent from an unproved guest: the brand collects', () => {
    expect(consumerPayee('cloud', 'offline', 'bound', 'shop', false)).toEqual({ payeeId: 'brand', sellerShown: false });
  });
  it('online and in the direct model the brand collects whoever serves', () => {
    expect(consumerPayee('cloud', 'online', 'bound', 'shop', true).payeeId).toBe('brand');
    expect(consumerPayee('direct', 'offline', 'shop', 'shop', false).payeeId).toBe('brand');
  });
});

describe('statement in words', () => {
  it('makes one fact of a transaction: a release is a move, a request leaves available, a payment comes in', () => {
    const release = statementFacts('release', [
      { account: 'pending', amountFen: -2_000 },
      { account: 'available', amountFen: 2_000 },
    ]);
    expect(release).toEqual({ kind: 'release', direction: 'move', amountFen: 2_000, account: 'available' });
    expect(
      statementFacts('withdrawal', [
        { account: 'available', amountFen: -5_000 },
        { account: 'withdrawing', amountFen: 5_000 },
      ]),
    ).toEqual({ kind: 'withdrawal', direction: 'out', amountFen: 5_000, account: 'withdrawing' });
    // Two lines of one order credit the same account twice: one line, their sum.
    const paid = statementFacts('payment', [
      { account: 'pending', amountFen: 1_000 },
      { account: 'pending', amountFen: 500 },
    ]);
    expect(paid).toEqual({ kind: 'payment', direction: 'in', amountFen: 1_500, account: 'pending' });
    expect(statementWords(paid, { amount: '¥15.00', orderNo: '202612040000000001', note: null }, 'zh')).toBe(
      '订单 202612040000000001 收益 ¥15.00 待结算',
    );
    expect(statementWords(release, { amount: '¥20.00', orderNo: null, note: null }, 'zh')).toBe(
      '解冻到账 ¥20.00，可提现',
    );
    // Compact ledger: the payment credits the wallet; the line says held or released from the order's shares.
    const credited = statementFacts('payment', [{ account: 'available', amountFen: 4_000 }]);
    const words = (settlement: 'held' | 'released') =>
      statementWords(credited, { amount: '¥40.00', orderNo: '202612040000000002', note: null, settlement }, 'zh');
    expect(words('held')).toBe('订单 202612040000000002 收益 ¥40.00 待结算');
    expect(words('released')).toBe('订单 202612040000000002 收益 ¥40.00 已结算');
    const converted = statementFacts('conversion', [
      { account: 'pending', amountFen: -900 },
      { account: 'available', amountFen: 900 },
    ]);
    expect(statementWords(converted, { amount: '¥9.00', orderNo: null, note: null }, 'zh')).toBe(
      '系统升级：待结算收益 ¥9.00 转入收益钱包，仍待结算后可提现',
    );
    const odd = statementFacts('late_adjustment', [{ account: 'available', amountFen: -300 }]);
    expect(statementWords(odd, { amount: '¥3.00', orderNo: null, note: null }, 'zh')).toBe('支出 ¥3.00');
  });

  it('calls a wallet credit held while the agent has a held share in its order, released otherwise; others never', () => {
    const held = new Set(['ord_a']);
    expect(settlementOf({ kind: 'payment', orderId: 'ord_a', account: 'available' }, held)).toBe('held');
    expect(settlementOf({ kind: 'payment', orderId: 'ord_b', account: 'available' }, held)).toBe('released');
    // Booked before migration 0024 on the pending account: read as it always was, its release line follows.
    expect(settlementOf({ kind: 'payment', orderId: 'ord_a', account: 'pending' }, held)).toBeNull();
    expect(settlementOf({ kind: 'payment', orderId: 'ord_a', account: 'offline' }, held)).toBeNull();
    expect(settlementOf({ kind: 'refund', orderId: 'ord_a', account: 'available' }, held)).toBeNull();
  });

  it('blames a retail price below the levels on the dearest level it fell under', () => {
    const table = { retailFen: 20_000, levelFen: { 1: 15_900, 2: 16_900, 3: 21_000, 4: 22_000 } };
    expect(levelAboveRetail(table, 4)).toBe(4);
    expect(levelAboveRetail({ ...table, retailFen: 30_000 }, 4)).toBeNull();
  });
});

describe('compact settlement (worker/domain/holds.ts)', () => {
  // The design's worked example: F..A earn 40, 30, 25, 20, 15, 10 yuan, the brand 159 of 299.
  const shares = [4000, 3000, 2500, 2000, 1500, 1000].map((amountFen, i) => ({ partyId: `agt_${i}`, amountFen }));
  const all = [...shares, { partyId: 'brand', amountFen: 15_900 }];

  it('books a six-level payment as 8 entries that sum to zero: the payer, six wallets, the brand', () => {
    const postings = paymentPostings({ paymentMethod: 'online', payeeId: 'brand', amountFen: 29_900 }, all);
    expect(postings).toHaveLength(8);
    expect(postings[0]).toEqual({ account: account.gateway, amountFen: -29_900 });
    expect(postings.reduce((sum, p) => sum + p.amountFen, 0)).toBe(0);
    expect(postings).toContainEqual({ account: account.available('agt_0'), amountFen: 4000 });
    // Two lines of one order credit each party once.
    expect(
      paymentPostings({ paymentMethod: 'offline', payeeId: 'brand', amountFen: 59_800 }, [...all, ...all]),
    ).toHaveLength(8);
    expect(() => paymentPostings({ paymentMethod: 'online', payeeId: 'brand', amountFen: 1 }, all)).toThrow();
    expect(
      heldDeltas(
        all.map((s) => ({ partyId: s.partyId, fen: s.amountFen })),
        1,
      ).get('brand'),
    ).toBeUndefined();
  });

  it('reverses a refund from every party and takes held shares off their counters only', () => {
    const line = (status: string) => ({
      units: 1,
      unitFen: 29_900,
      shares: all.map((s, i) => ({
        partyId: s.partyId,
        status: i === 0 ? 'available' : status,
        buyUnitFen: 0,
        sellUnitFen: s.amountFen,
      })),
    });
    const moves = refundMoves({ paymentMethod: 'online', payeeId: 'brand' }, [line('pending')]);
    expect(moves.postings).toContainEqual({ account: account.refundsInFlight, amountFen: 29_900 });
    expect(moves.postings).toContainEqual({ account: account.available('agt_0'), amountFen: -4000 });
    expect(moves.postings.reduce((sum, p) => sum + p.amountFen, 0)).toBe(0);
    // agt_0's share was released: its wallet pays back (a debt if spent), its counter is not touched.
    expect(moves.held.get('agt_0')).toBeUndefined();
    expect(moves.held.get('agt_1')).toBe(-3000);
    expect(moves.held.has('brand')).toBe(false);
    const offline = refundMoves({ paymentMethod: 'offline', payeeId: 'agt_9' }, [line('void')]);
    expect(offline.postings).toEqual([
      { account: account.offline('agt_9'), amountFen: -29_900 },
      { account: account.offlinePayer, amountFen: 29_900 },
    ]);
    expect(heldFen({ partyId: 'x', amountFen: 9000, buyUnitFen: 1000, sellUnitFen: 4000, refundedQty: 1 })).toBe(6000);
  });
});
