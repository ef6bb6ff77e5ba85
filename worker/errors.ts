import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env';
import { incentiveRules, nouns } from './errorWords';
import type { Lang } from './i18n';

type Params = Record<string, string | number>;

type Message = (p: Params) => string;

interface ErrorDef {
  status: ContentfulStatusCode;
  zh: Message;
  en: Message;
}

// The closed set of error codes the API answers with.
const defs = {
  VALIDATION_FAILED: { status: 400, zh: (p) => `输入有误：${p.detail}`, en: (p) => `Invalid input: ${p.detail}` },
  MALFORMED_JSON: { status: 400, zh: () => '请求体不是有效的 JSON', en: () => 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: () => '请求体必须是 application/json',
    en: () => 'The request body must be application/json',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: () => '请求体过大', en: () => 'The request body is too large' },
  UNAUTHENTICATED: { status: 401, zh: () => '请先登录', en: () => 'Please sign in first' },
  INVALID_CREDENTIALS: { status: 401, zh: () => '账号或密码错误', en: () => 'Wrong account or password' },
  FORBIDDEN: { status: 403, zh: () => '无权执行此操作', en: () => 'You may not do this' },
  CSRF_REJECTED: {
    status: 403,
    zh: () => '请求来源不被信任，请刷新页面后重试',
    en: () => 'Untrusted request origin; reload the page and try again',
  },
  ACCOUNT_REVOKED: { status: 403, zh: () => '该代理授权已撤销', en: () => 'This agent authorization has been revoked' },
  APPLICATION_PENDING: {
    status: 403,
    zh: () => '您的代理申请正在审核中',
    en: () => 'Your agent application is still under review',
  },
  NOT_FOUND: {
    status: 404,
    zh: (p) => `${nouns[String(p.what)]?.zh ?? '记录'}不存在`,
    en: (p) => `${nouns[String(p.what)]?.en ?? 'Record'} not found`,
  },
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    zh: () => '未查到授权信息，请核对后重试',
    en: () => 'No authorization found; check what you entered and try again',
  },
  ROUTE_NOT_FOUND: { status: 404, zh: () => '接口不存在', en: () => 'No such API route' },
  DUPLICATE_PHONE: { status: 409, zh: () => '该手机号已被使用', en: () => 'This phone number is already in use' },
  DUPLICATE_WECHAT: { status: 409, zh: () => '该微信号已被使用', en: () => 'This WeChat ID is already in use' },
  DUPLICATE_NAME: { status: 409, zh: () => '名称已被使用', en: () => 'This name is already in use' },
  UNKNOWN_LEVEL: {
    status: 400,
    zh: (p) => `代理等级 ${p.level} 不存在`,
    en: (p) => `Agent level ${p.level} does not exist`,
  },
  INVITE_INVALID: {
    status: 400,
    zh: () => '邀请链接无效或已失效',
    en: () => 'The invite link is invalid or no longer active',
  },
  INVALID_STATE: {
    status: 409,
    zh: (p) => `当前状态不允许此操作：${p.state}`,
    en: (p) => `Not allowed in state: ${p.state}`,
  },
  ARCHIVE_RESTORE_ORDER: {
    status: 409,
    zh: (p) => `请先恢复更晚的归档月份 ${p.month}`,
    en: (p) => `Restore the later archived month ${p.month} first`,
  },
  ORDER_NOT_CANCELLABLE: {
    status: 409,
    zh: () => '订单已付款，不能取消；如需退款请申请售后',
    en: () => 'The order is paid and can no longer be cancelled; ask for a refund (after-sales) instead',
  },
  ORDER_NOT_RECEIVABLE: {
    status: 409,
    zh: () => '订单尚未发货或已完成，不能确认收货',
    en: () => 'The order is not shipped (or is already completed): receipt cannot be confirmed',
  },
  AFTER_SALES_OPEN: {
    status: 409,
    zh: () => '该订单已有处理中的售后申请',
    en: () => 'This order already has an after-sales request being handled',
  },
  AFTER_SALES_NOT_ALLOWED: {
    status: 409,
    zh: () => '该订单当前不能申请售后（仅已付款、已发货或已完成的订单可以）',
    en: () => 'After-sales can only be asked for on a paid, shipped or completed order',
  },
  LEVEL_CONFLICT: { status: 409, zh: (p) => `${p.detail}`, en: (p) => `${p.detail}` },
  COMPLIANCE_REFUSED: { status: 422, zh: (p) => `${p.detail}`, en: (p) => `${p.detail}` },
  INCENTIVE_FORBIDDEN: {
    status: 422,
    zh: (p) => `配置被拒绝：${incentiveRules[String(p.rule)]?.zh ?? p.rule}`,
    en: (p) => `Configuration refused: ${incentiveRules[String(p.rule)]?.en ?? p.rule}`,
  },
  INSUFFICIENT_POINTS: {
    status: 409,
    zh: (p) => `积分不足（需要 ${p.needed}，现有 ${p.have}）`,
    en: (p) => `Not enough points (needs ${p.needed}, you have ${p.have})`,
  },
  PRICE_INVALID: { status: 400, zh: (p) => `${p.detail}`, en: (p) => `${p.detail}` },
  DUPLICATE_SKU: { status: 409, zh: () => '该商品编码已存在', en: () => 'This SKU already exists' },
  PRODUCT_UNAVAILABLE: {
    status: 409,
    zh: (p) => `商品「${p.name}」已下架或不存在`,
    en: (p) => `Product "${p.name}" is off sale or does not exist`,
  },
  STOCK_INSUFFICIENT: {
    status: 409,
    zh: (p) => `「${p.name}」库存不足（${p.owner}仅剩 ${p.left} 件），未做任何更改`,
    en: (p) => `Not enough stock of "${p.name}" (${p.owner} has ${p.left} left); nothing was changed`,
  },
  PRICE_MISSING_FOR_LEVEL: {
    status: 409,
    zh: (p) => `商品「${p.name}」未设置「${p.level}」等级价格`,
    en: (p) => `Product "${p.name}" has no price for the level "${p.level}"`,
  },
  SETUP_REQUIRED: {
    status: 409,
    zh: () => '品牌尚未完成初始设置，请先在品牌后台完成设置',
    en: () => 'The brand is not set up yet; finish the setup in the brand console first',
  },
  SETUP_DONE: { status: 409, zh: () => '品牌已完成初始设置', en: () => 'The brand is already set up' },
  STOCK_MODEL_LOCKED: {
    status: 409,
    zh: (p) => `仍有 ${p.agents} 位代理持有云仓库存共 ${p.units} 件，不能切换库存模式`,
    en: (p) => `${p.agents} agent(s) still hold ${p.units} unit(s) of cloud stock; the stock model cannot change`,
  },
  OUT_OF_STOCK: {
    status: 409,
    zh: (p) => `「${p.name}」库存不足`,
    en: (p) => `"${p.name}" is out of stock`,
  },
  FIRST_ORDER_MINIMUM: {
    status: 422,
    zh: (p) => `首次进货金额不能低于 ${p.minimum}（${p.level}首单金额），本单 ${p.amount}，还差 ${p.short}`,
    en: (p) =>
      `Your first restock must be at least ${p.minimum} (the ${p.level} first order); this one is ${p.amount}, ${p.short} short`,
  },
  ORDER_TOO_LARGE: {
    status: 400,
    zh: (p) => `每笔订单最多 ${p.max} 件`,
    en: (p) => `An order may hold at most ${p.max} units`,
  },
  SHOP_CLOSED: { status: 409, zh: () => '该店铺已暂停营业', en: () => 'This shop is closed' },
  SUPPLY_STOPPED: {
    status: 409,
    zh: () => '您已被停货，暂不能进货',
    en: () => 'Your supply is stopped; you cannot restock now',
  },
  INSUFFICIENT_BALANCE: {
    status: 409,
    zh: (p) => `可提现余额不足（可提现 ${p.available}）`,
    en: (p) => `Not enough available balance (available ${p.available})`,
  },
  BELOW_MINIMUM: {
    status: 400,
    zh: (p) => `提现金额不能低于 ${p.minimum}`,
    en: (p) => `A withdrawal must be at least ${p.minimum}`,
  },
  PAYOUT_ACCOUNT_REQUIRED: {
    status: 409,
    zh: () => '请先设置收款账户（微信、支付宝或银行卡），品牌方按该账户打款',
    en: () => 'Set your payout account (WeChat, Alipay or bank card) first; the brand pays to it',
  },
  PAYOUT_KIND_NOT_ACCEPTED: {
    status: 422,
    zh: (p) => `品牌方不支持${p.kind}收款，请改用：${p.accepted}`,
    en: (p) => `The brand does not pay to ${p.kind}; use one of: ${p.accepted}`,
  },
  SHARE_REWARD_PROMISED: {
    status: 422,
    zh: (p) => `文案不能以奖励诱导分享（微信禁止“转发有礼”“集赞送”等），请修改：“${p.phrase}”`,
    en: (p) => `Copy may not promise a reward for sharing (WeChat forbids it); change: “${p.phrase}”`,
  },
  DEBT_OUTSTANDING: {
    status: 409,
    zh: (p) => `账户欠款 ${p.debt}，还清前不能提现`,
    en: (p) => `The wallet owes ${p.debt}; withdrawals are blocked until it is repaid`,
  },
  IDEMPOTENCY_CONFLICT: {
    status: 422,
    zh: () => '同一个 Idempotency-Key 用于了不同的请求',
    en: () => 'This Idempotency-Key was used for a different request',
  },
  PAYMENT_UNAVAILABLE: {
    status: 409,
    zh: () => '在线支付暂不可用，请选择线下支付',
    en: () => 'Online payment is not available; choose offline payment',
  },
  OPEN_IN_WECHAT: {
    status: 409,
    zh: () => '请在微信中打开此链接完成支付',
    en: () => 'Open this link in WeChat to pay',
  },
  PAYMENT_MISMATCH: {
    status: 400,
    zh: (p) => `支付信息不符：${p.detail}`,
    en: (p) => `Payment does not match: ${p.detail}`,
  },
  RATE_LIMITED: {
    status: 429,
    zh: (p) => `操作过于频繁，请 ${p.seconds} 秒后再试`,
    en: (p) => `Too many requests; try again in ${p.seconds} s`,
  },
  CODE_MALFORMED: {
    status: 400,
    zh: () => '防伪码格式不正确：应为标签上的 16 位字母和数字',
    en: () => 'This is not a valid code: it has 16 letters and digits, as printed on the label',
  },
  CODE_NOT_FOUND: {
    status: 404,
    zh: () => '查无此码：请核对标签上的防伪码；如确认无误，该商品可能不是正品',
    en: () => 'No such code: check the code on the label; if it is right, this product may not be genuine',
  },
  CODE_ALREADY_BOUND: {
    status: 409,
    zh: (p) => `有 ${p.count} 个防伪码已发给代理（如序列号 ${p.serial}），一个码只能绑定一次`,
    en: (p) =>
      `${p.count} of these codes were already shipped to an agent (e.g. serial ${p.serial}); a code is bound once`,
  },
  CODES_MISSING: {
    status: 404,
    zh: (p) => `有 ${p.count} 个防伪码尚未生成或不存在（如 ${p.serial}）`,
    en: (p) => `${p.count} of these codes do not exist or are not generated yet (e.g. ${p.serial})`,
  },
  INSPECTION_CLOSED: {
    status: 409,
    zh: () => '该稽查记录已处理',
    en: () => 'This inspection case is already closed',
  },
  WECHAT_NOT_CONFIGURED: {
    status: 404,
    zh: () => '品牌未配置微信公众号',
    en: () => 'The brand has not configured a WeChat Official Account',
  },
  WECHAT_UNAVAILABLE: {
    status: 503,
    zh: () => '微信服务暂时不可用，请稍后再试',
    en: () => 'WeChat is unavailable right now; please try again later',
  },
  WECHAT_DOMAIN_MISSING: {
    status: 503,
    zh: () => '公众号未配置 JS 接口安全域名（WECHAT_MP_DOMAIN），暂不提供签名',
    en: () => 'The Official Account has no JS safe domain set (WECHAT_MP_DOMAIN); nothing is signed',
  },
  TRANSFER_UNAVAILABLE: {
    status: 409,
    zh: (p) =>
      `无法通过微信转账打款：${p.why === 'openid' ? '该代理未绑定微信' : p.why === 'disabled' ? '品牌未开启微信转账' : '微信支付商户未配置'}`,
    en: (p) =>
      `Cannot pay by WeChat transfer: ${p.why === 'openid' ? 'the agent has no WeChat openid' : p.why === 'disabled' ? 'the brand has not enabled transfers' : 'WeChat Pay is not configured'}`,
  },
  RECON_UNAVAILABLE: {
    status: 409,
    zh: () => '微信支付商户未配置，无法下载对账单',
    en: () => 'WeChat Pay is not configured; bills cannot be downloaded',
  },
  RECON_GATEWAY_FAILED: {
    status: 502,
    zh: (p) => `微信支付对账单下载失败，请稍后重试：${p.detail}`,
    en: (p) => `WeChat Pay's bill could not be downloaded; try again later: ${p.detail}`,
  },
  RECON_RUNNING: {
    status: 409,
    zh: () => '该日的对账正在进行，请稍后再试',
    en: () => 'This day is being reconciled right now; try again shortly',
  },
  SMS_UNAVAILABLE: {
    status: 503,
    zh: () => '短信服务暂不可用，请稍后再试',
    en: () => 'Text messages cannot be sent right now; please try again later',
  },
  SMS_CODE_INVALID: {
    status: 400,
    zh: () => '验证码错误或已失效，请重新获取',
    en: () => 'The verification code is wrong or no longer valid; request a new one',
  },
  ADDRESS_LIMIT: {
    status: 409,
    zh: (p) => `最多保存 ${p.max} 个收货地址，请先删除不用的地址`,
    en: (p) => `At most ${p.max} addresses can be saved; delete one you no longer use first`,
  },
  ORDER_LOOKUP_MISS: {
    status: 404,
    zh: () => '没有找到该订单，请核对订单号和下单时填写的收货手机号',
    en: () => 'No such order: check the order number and the phone the order was placed with',
  },
  TRACKING_EXPIRED: {
    status: 401,
    zh: () => '查询已过期，请重新获取验证码',
    en: () => 'This lookup has expired; request a new verification code',
  },
  FILE_TOO_LARGE: {
    status: 413,
    zh: (p) => `图片不能超过 ${p.mb} MB`,
    en: (p) => `A picture may be at most ${p.mb} MB`,
  },
  FILE_TYPE_UNSUPPORTED: {
    status: 415,
    zh: () => '只能上传 JPEG、PNG 或 WebP 图片',
    en: () => 'Only JPEG, PNG or WebP pictures can be uploaded',
  },
  REPORT_ABOVE_RETAIL: {
    status: 422,
    zh: (p) => `举报价格 ${p.seen} 高于品牌零售价 ${p.retail}，不属于乱价`,
    en: (p) => `The reported price ${p.seen} is above the retail price ${p.retail}; that is not price-breaking`,
  },
  INTERNAL: { status: 500, zh: () => '服务器开小差了，请稍后再试', en: () => 'Something went wrong; please try again' },
} satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof defs;
export const errorCodes = Object.keys(defs) as ErrorCode[];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly opts: { field?: string; params?: Params; headers?: Record<string, string> } = {},
  ) {
    super(code);
  }
  get status(): ContentfulStatusCode {
    return defs[this.code].status;
  }
}

export function messageFor(code: ErrorCode, lang: Lang, params: Params = {}): string {
  return defs[code][lang](params);
}

export function errorBody(c: Context<AppEnv>, err: AppError) {
  const lang = c.get('lang') ?? 'zh';
  return {
    error: {
      code: err.code,
      message: messageFor(err.code, lang, err.opts.params),
      ...(err.opts.field ? { field: err.opts.field } : {}),
      requestId: c.get('requestId'),
    },
  };
}

export function errorResponse(c: Context<AppEnv>, err: AppError): Response {
  for (const [k, v] of Object.entries(err.opts.headers ?? {})) c.header(k, v);
  return c.json(errorBody(c, err), err.status);
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      field: z.string().optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: ErrorSchema } };
export const errorResponses = {
  400: { description: 'Invalid input', content: errorContent },
  401: { description: 'Not signed in', content: errorContent },
  403: { description: 'Not allowed', content: errorContent },
  404: { description: 'Not found', content: errorContent },
  409: { description: 'Conflict with the current state', content: errorContent },
  429: { description: 'Rate limited', content: errorContent },
} as const;

// For routes that send a text message.
export const smsErrorResponses = {
  ...errorResponses,
  503: { description: 'No SMS provider is configured, or it failed', content: errorContent },
} as const;
