import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { Meter } from '../db/metered';
import type * as schema from '../db/schema';
import type { Role } from '../db/schema';
import type { ArchiveVars } from './archive/job';
import type { Lang } from './i18n';
import type { OauthVars } from './lib/wechat/oauth';
import type { WechatMpVars } from './lib/wechatJs';
import type { WechatPayVars } from './lib/wechatpay/env';

export type Db = DrizzleD1Database<typeof schema>;

export interface Caller {
  role: Role;
  id: string;
  sessionId: string;
}

// SMS: Tencent Cloud SMS credentials are secrets (wrangler secret put; locally .dev.vars), never in wrangler.toml.
// SMS_SIMULATOR=1 (set only by npm start and the test setups) "sends" codes to the log and GET /api/dev/sms.
export interface SmsSecrets {
  TENCENT_SMS_SECRET_ID?: string;
  TENCENT_SMS_SECRET_KEY?: string;
  TENCENT_SMS_SDK_APP_ID?: string;
  TENCENT_SMS_SIGN_NAME?: string;
  TENCENT_SMS_TEMPLATE_ID?: string;
  SMS_SIMULATOR?: string;
}

export interface AppEnv {
  Bindings: Env &
    SmsSecrets &
    WechatPayVars &
    WechatMpVars &
    OauthVars &
    ArchiveVars & {
      PAYMENT_SIMULATOR?: string;
      LOG_REQUESTS?: string;
      TEST_PASSWORD_ITERATIONS?: string;
      TEST_SCHEDULED?: string;
    };
  Variables: {
    requestId: string;
    lang: Lang;
    db: Db;
    meter: Meter;
    caller: Caller | null;
  };
}

export type BatchItem = import('drizzle-orm/batch').BatchItem<'sqlite'>;
