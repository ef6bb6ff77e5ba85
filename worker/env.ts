import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { Meter } from '../db/metered';
import type * as schema from '../db/schema';
import type { Role } from '../db/schema';
import type { Lang } from './i18n';

export type Db = DrizzleD1Database<typeof schema>;

export interface Caller {
  role: Role;
  id: string;
  sessionId: string;
}

export interface AppEnv {
  Bindings: Env & { PAYMENT_SIMULATOR?: string; LOG_REQUESTS?: string };
  Variables: {
    requestId: string;
    lang: Lang;
    db: Db;
    meter: Meter;
    caller: Caller | null;
  };
}

export type BatchItem = import('drizzle-orm/batch').BatchItem<'sqlite'>;
