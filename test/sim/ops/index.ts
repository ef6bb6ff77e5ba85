import { archiveOps } from './archive';
import { codeOps } from './codes';
import type { Op } from './common';
import { expiryOps } from './expiry';
import { gatewayOps } from './gateway';
import { incentiveOps } from './incentives';
import { lookupOps } from './lookups';
import { moneyOps } from './money';
import { networkOps } from './network';
import { orderOps } from './orders';
import { raceOps } from './races';

export const ops: Op[] = [
  ...networkOps,
  ...orderOps,
  ...moneyOps,
  ...lookupOps,
  ...raceOps,
  ...codeOps,
  ...expiryOps,
  ...gatewayOps,
  ...incentiveOps,
  ...archiveOps,
];
export const opsByName = new Map(ops.map((op) => [op.name, op]));
export type { Op };
