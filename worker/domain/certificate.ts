import type { AgentStatus } from './types';

export type CertificateStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

// The certificate follows its agent; a valid one lapses at the end of its validity.
export function certificateStatus(agentStatus: AgentStatus, validUntil: number, now: number): CertificateStatus {
  if (agentStatus === 'revoked') return 'revoked';
  if (agentStatus === 'suspended') return 'suspended';
  return now >= validUntil ? 'expired' : 'valid';
}
