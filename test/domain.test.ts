import { describe, expect, it } from 'vitest';
import { allOf } from '../db/enums';
import { agentNotices, agents, inspections, teamMembers } from '../db/schema';
import { certificateStatus } from '../worker/domain/certificate';
import { firstRestockShortfall } from '../worker/domain/firstOrder';
import { levelSetProblem } from '../worker/domain/levels';
import { maskName, maskPhone } from '../worker/domain/mask';
import {
  type ChainLink,
  downgradeBlockedBy,
  placeSupplier,
  supplierAfterLevelChange,
} from '../worker/domain/placement';
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

describe('firstRestockShortfall (首单金额)', () => {
  it('asks a first restock for what it lacks of the level’s amount, and nothing of a later one or without an amount', () => {
    expect(firstRestockShortfall(25_900, 30_000, false)).toBe(4_100);
    expect(firstRestockShortfall(30_000, 30_000, false)).toBe(0);
    expect(firstRestockShortfall(25_900, 30_000, true)).toBe(0);
    expect(firstRestockShortfall(100, 0, false)).toBe(0);
  });
});
