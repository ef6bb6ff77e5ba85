import { createRoute, z } from '@hono/zod-openapi';
import { onSafeDomain, withoutFragment } from '../domain/wechatSign';
import { AppError, ErrorSchema, errorResponses } from '../errors';
import { createRouter } from '../http';
import { clientIp, enforceLimit } from '../lib/rateLimit';
import { jsapiTicket, mpConfig, signJsConfig } from '../lib/wechatJs';
import { jsonResponse } from '../schemas';

const JsConfigQuery = z.object({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .transform(withoutFragment)
    .openapi({
      description: 'The page’s URL (location.href); a #fragment is ignored, as WeChat signs the URL without it',
      example: 'https://shop.example.com/s/ab12cd34?from=singlemessage',
    }),
});

const JsConfig = z
  .object({
    appId: z.string(),
    timestamp: z.number().int().openapi({ description: 'Seconds since the epoch' }),
    nonceStr: z.string(),
    signature: z.string().openapi({ description: 'SHA-1 (hex) of jsapi_ticket, noncestr, timestamp and url' }),
  })
  .openapi('WechatJsConfig');

const notOnDomain = {
  zh: 'url：页面不在公众号的 JS 接口安全域名内',
  en: "url: the page is not on the Official Account's JS safe domain",
};

export const wechatRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/wechat/js-config',
    tags: ['wechat'],
    summary: 'wx.config parameters (JS-SDK signature) for a page opened in WeChat, so it can set its share card',
    request: { query: JsConfigQuery },
    responses: {
      200: jsonResponse(JsConfig, 'Parameters for wx.config'),
      ...errorResponses,
      503: {
        description: 'WeChat did not answer, or WECHAT_MP_DOMAIN is not set',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  }),
  async (c) => {
    const config = mpConfig(c.env);
    if (!config) throw new AppError('WECHAT_NOT_CONFIGURED');
    // Without a safe domain it would sign any page of any site with the brand's account.
    if (config.safeDomains.length === 0) throw new AppError('WECHAT_DOMAIN_MISSING');
    const { url } = c.req.valid('query');
    if (!onSafeDomain(new URL(url), config.safeDomains)) {
      throw new AppError('VALIDATION_FAILED', { field: 'url', params: { detail: notOnDomain[c.var.lang] } });
    }
    const db = c.var.db;
    await enforceLimit(db, { key: `wxjs:ip:${clientIp(c.req.raw.headers)}`, max: 60, windowSeconds: 60 });
    const ticket = await jsapiTicket(db, config);
    c.header('Cache-Control', 'no-store');
    return c.json(await signJsConfig(config.appId, ticket, url), 200);
  },
);
