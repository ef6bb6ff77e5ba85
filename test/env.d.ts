import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      LEGACY_DB: D1Database;
      WECHAT_MCH_ID: string;
      WECHAT_APP_ID: string;
      WECHAT_APIV3_KEY: string;
      WECHAT_PLATFORM_PUBLIC_KEY: string;
      WECHAT_PLATFORM_SERIAL: string;
      TEST_WECHAT_PLATFORM_PRIVATE_KEY: string;
      TEST_PASSWORD_ITERATIONS: string;
    }
  }
}
