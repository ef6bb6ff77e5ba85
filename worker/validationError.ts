import type { z } from '@hono/zod-openapi';
import { en as zodEn, zhCN as zodZh } from 'zod/v4/locales';
import { AppError } from './errors';
import { fieldLabels } from './errorWords';
import type { Lang } from './i18n';

// A request that fails its zod schema: the first issue, in the caller's language, on its field.

// Field messages that schemas name by key, so the same schema speaks both languages.
const fieldMessages: Record<string, { zh: string; en: string }> = {
  phone: { zh: '请输入 11 位中国大陆手机号', en: 'Enter an 11-digit mainland China mobile number' },
  wechat: {
    zh: '微信号为 6–20 位，以字母开头，可含字母、数字、下划线和减号',
    en: 'A WeChat ID is 6–20 characters: a letter first, then letters, digits, _ or -',
  },
  password: { zh: '密码至少 8 位，最多 64 位', en: 'A password has 8 to 64 characters' },
  cardNumber: { zh: '银行卡号为 12–19 位数字', en: 'A bank card number has 12 to 19 digits' },
  blank: { zh: '不能为空', en: 'must not be blank' },
  orderNumber: { zh: '请输入 18 位数字的订单号', en: 'An order number has 18 digits' },
  unsafeText: {
    zh: '不能包含控制字符或文字方向控制符（如 U+202E）',
    en: 'must not contain control characters or text-direction controls (such as U+202E)',
  },
  'duplicate-product': { zh: '同一商品只能出现一次', en: 'each product may appear only once' },
  evidence: { zh: '请先上传证据图片', en: 'upload the evidence picture first' },
};

const zodLocales = { zh: zodZh(), en: zodEn() };

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, lang: Lang): string {
  const keyed = fieldMessages[issue.message];
  if (keyed) return keyed[lang];
  const text = zodLocales[lang].localeError(issue as unknown as z.core.$ZodRawIssue);
  return typeof text === 'string' ? text : (text?.message ?? issue.message);
}

export function validationError(error: z.ZodError, lang: Lang): AppError {
  const issue = error.issues[0] as Issue | undefined;
  const field = issue?.path.map(String).join('.') || undefined;
  const text = issue ? describeIssue(issue, lang) : '';
  // The field is named in words (the last key of its path: lines.0.qty is 数量), never by its key.
  const key = issue?.path.filter((p) => typeof p === 'string').at(-1);
  const label = typeof key === 'string' ? fieldLabels[key]?.[lang] : undefined;
  const detail = label ? `${label}${lang === 'en' ? ': ' : '：'}${text}` : text;
  return new AppError('VALIDATION_FAILED', { ...(field ? { field } : {}), params: { detail } });
}
