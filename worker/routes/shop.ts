import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { brandInfo } from '../../db/brandInfo';
import { sha256Hex } from '../../db/ids';
import { agents, brand, certificates, members, sessions } from '../../db/schema';
import { type ShopProduct, shopCategories, shopProductsQuery, toShopProduct } from '../../db/shopProducts';
import { type ShopNotice, shopNotice } from '../domain/binding';
import { formatChinaDate } from '../domain/certificateSvg';
import { maskName } from '../domain/mask';
import type { AgentStatus } from '../domain/types';
import type { AppEnv } from '../env';
import { wearBrand } from '../lib/brandFace';
import { formatFen } from '../lib/money';
import { SESSION_COOKIE } from '../middleware/session';
import { oauthDetour } from './wechatOauth';

// The shop link /s/<code>: one request renders the whole first view (no API call before the first paint). The static
// template built from site/src/pages/shop-template.astro is filled with HTMLRewriter from one D1 batch (the level
// names come from the per-isolate brandInfo copy). site/src/features/shop/types.ts reads the same data island.

// The first view lists this many products; the page loads more (and searches) through GET /api/shops/{code}/products.
export const SHOP_PAGE_SIZE = 20;
const CODE = /^[0-9a-z]{8}$/;

export interface ShopData {
  code: string;
  name: string;
  levelName: string;
  certNumber: string | null;
  brandName: string;
  open: boolean;
  /** The signed-in member's own agent, when it is not this shop's: it serves (and is credited with) the order. */
  bound: { code: string; name: string } | null;
  products: ShopProduct[];
  more: boolean;
  /** The brand's categories of products on sale, for the shop's filter. */
  categories: string[];
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => escapes[ch] ?? ch);
}

// HTMLRewriter's setAttribute escapes only the quote, so an attribute value could still carry '&amp;' that a browser
// decodes (or a '<' that naive tools read as markup): the other characters are escaped here first.
function attrText(text: string): string {
  return text.replace(/[&<>]/g, (ch) => escapes[ch] ?? ch);
}

// JSON inside <script> is raw text: entities are not decoded there, so the characters that could end the element
// or a JavaScript string are written as \u escapes instead.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// A URL as a Link header's target: only a same-origin path or an https URL, with nothing that could end the
// <...> or the header (a picture's URL comes from the brand's product form).
function linkTarget(url: string): string | null {
  // Printable ASCII only (a header value is bytes), without the characters that end the target or the header.
  return /^(\/(?!\/)|https:\/\/)[!-~]+$/.test(url) && !/[<>,;"\\]/.test(url) ? url : null;
}

function absolute(origin: string, url: string): string {
  return url.startsWith('/') ? `${origin}${url}` : url;
}

// Two cards a row at 360 px. The first row is the largest paint on a phone: fetched first, at high priority. Every
// other picture is lazy, so on a slow link it does not share the bandwidth with the first row: the second row (still
// on the first screen) is asked for at the first layout, a moment later; the others wait for the scroll.
const FIRST_ROW = 2;

// The same card as site/src/features/shop/ProductCard.tsx draws for products loaded later. A sold-out card has no
// cart button: the shop cannot take the order.

function productCard(p: ShopProduct, code: string, index: number): string {
  const href = `/product?id=${encodeURIComponent(p.id)}&s=${code}`;
  const name = escapeHtml(p.name);
  const loading = index < FIRST_ROW ? ' fetchpriority="high"' : ' loading="lazy"';
  const image = p.image
    ? `<img src="${escapeHtml(p.image)}" alt="" width="200" height="200"${loading}>`
    : '<span class="pimg-none" aria-hidden="true"></span>';
  const action = p.soldOut
    ? '<span class="psold" data-en="Sold out">售罄</span>'
    : `<button type="button" class="padd" data-add="${escapeHtml(p.id)}" aria-label="加入购物车：${name}" ` +
      `data-en-label="Add to cart: ${name}">+</button>`;
  return (
    `<li class="pcard${p.soldOut ? ' soldout' : ''}" data-cat="${escapeHtml(p.category)}" data-name="${name}">` +
    `<a href="${escapeHtml(href)}">${image}<span class="pname">${name}</span>` +
    `<span class="pprice">${escapeHtml(formatFen(p.retailFen))}</span></a>${action}</li>`
  );
}

function categoryChips(list: string[]): string {
  if (list.length === 0) return '';
  const chip = (value: string, label: string, pressed: boolean) =>
    `<button type="button" class="chip" data-cat="${escapeHtml(value)}" aria-pressed="${pressed}">${escapeHtml(label)}</button>`;
  return chip('', '全部', true) + list.map((c) => chip(c, c, false)).join('');
}

function ogTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([property, content]) => `<meta property="${property}" content="${escapeHtml(content)}">`)
    .join('');
}

// The truth about who serves an order placed here (worker/domain/binding.ts decides).
function noticeText(notice: ShopNotice, boundName: string, shopName: string): { zh: string; en: string } | null {
  if (notice.kind === 'moves-here') {
    return {
      zh: `在本店下单后，您的专属顾问将改为 ${shopName}`,
      en: `Ordering here makes ${shopName} your own adviser`,
    };
  }
  if (!boundName) return null;
  const zh = `您的专属顾问是 ${boundName}，本单将由 ${boundName} 服务`;
  const en = `Your own adviser is ${boundName}; ${boundName} will serve your order`;
  if (notice.movableAt === null) return { zh, en };
  const date = formatChinaDate(notice.movableAt);
  return {
    zh: `${zh}；若到 ${date} 仍未下单，此后在本店下单将改由 ${shopName} 服务`,
    en: `${en}. With no order by ${date}, an order here after that makes ${shopName} your adviser`,
  };
}

async function notFoundPage(c: { env: AppEnv['Bindings']; req: { url: string } }): Promise<Response> {
  const page = await c.env.ASSETS.fetch(new URL('/404', c.req.url));
  return new Response(page.body, { status: 404, headers: pageHeaders(page) });
}

// A page made from a built one keeps the build's Content-Security-Policy (its inline scripts' hashes).
function pageHeaders(asset: Response): Headers {
  const headers = new Headers({ 'content-type': 'text/html; charset=utf-8' });
  const csp = asset.headers.get('content-security-policy');
  if (csp) headers.set('content-security-policy', csp);
  return headers;
}

// The home page's demo link: the shop of the longest-standing active agent at the top level (the seed's first founder
// on a demo), found through the (level, id) index. 'demo' can never be an agent's code (codes have 8 characters).
export const DEMO_SHOP_PATH = '/s/demo';

export const shopRoutes = new Hono<AppEnv>()
  .get(DEMO_SHOP_PATH, async (c) => {
    const [first] = await c.var.db
      .select({ code: agents.code })
      .from(agents)
      .where(eq(agents.status, 'active'))
      .orderBy(asc(agents.level), asc(agents.id))
      .limit(1);
    if (!first) return notFoundPage(c);
    c.header('Cache-Control', 'no-store');
    return c.redirect(`/s/${first.code}`, 302);
  })
  .get('/s/:code', async (c) => {
    const detour = oauthDetour(c);
    if (detour) return detour;
    const code = c.req.param('code').toLowerCase();
    if (!CODE.test(code)) return notFoundPage(c);
    const db = c.var.db;
    const token = getCookie(c, SESSION_COOKIE);
    // The session is resolved as loadSession does (worker/middleware/session.ts), inside the same batch; a token that
    // is not a live member session simply finds nothing.
    const sessionId = token && token.length <= 128 ? await sha256Hex(token) : '';

    const [template, info, categories, [[agent], rows, [viewer]]] = await Promise.all([
      c.env.ASSETS.fetch(new URL('/shop-template', c.req.url)),
      brandInfo(db),
      shopCategories(db),
      db.batch([
        db
          .select({
            id: agents.id,
            name: agents.name,
            level: agents.level,
            status: agents.status,
            certNumber: certificates.number,
          })
          .from(agents)
          .leftJoin(certificates, eq(certificates.agentId, agents.id))
          .where(eq(agents.code, code))
          .limit(1),
        shopProductsQuery(db, code, {}, SHOP_PAGE_SIZE),
        db
          .select({
            boundId: sql<string | null>`${agents.id}`.as('bound_id'),
            boundCode: sql<string | null>`${agents.code}`.as('bound_code'),
            boundName: sql<string | null>`${agents.name}`.as('bound_name'),
            boundStatus: sql<AgentStatus | null>`${agents.status}`.as('bound_status'),
            boundAt: members.boundAt,
            lastOrderAt: members.lastOrderAt,
            policy: brand.bindingPolicy,
            rebindDays: brand.rebindDays,
          })
          .from(sessions)
          .innerJoin(members, eq(members.id, sessions.subjectId))
          .innerJoin(brand, eq(brand.id, 1))
          .leftJoin(agents, eq(agents.id, members.boundAgentId))
          .where(and(eq(sessions.id, sessionId), eq(sessions.role, 'member'), gt(sessions.expiresAt, Date.now())))
          .limit(1),
      ]),
    ]);
    if (!agent) return notFoundPage(c);
    if (!template.ok) throw new Error(`shop template: assets answered ${template.status}`);

    const open = agent.status === 'active';
    // A suspended or revoked agent's name is masked as the certificate lookup masks it: its shop is closed.
    const shownName = open ? agent.name : maskName(agent.name);
    const shown = open ? rows.slice(0, SHOP_PAGE_SIZE) : [];
    const items = shown.map(toShopProduct);
    const notice =
      viewer?.boundId && viewer.boundStatus
        ? shopNotice(
            { policy: viewer.policy, rebindDays: viewer.rebindDays },
            Date.now(),
            { id: agent.id, status: agent.status },
            { boundAgentId: viewer.boundId, boundAt: viewer.boundAt, lastOrderAt: viewer.lastOrderAt },
            { id: viewer.boundId, status: viewer.boundStatus },
          )
        : null;
    const bound =
      notice?.kind === 'bound-serves' && viewer?.boundCode && viewer.boundName
        ? { code: viewer.boundCode, name: viewer.boundName }
        : null;
    const levelName = info.levelNames.get(agent.level) ?? '';
    const data: ShopData = {
      code,
      name: shownName,
      levelName,
      certNumber: agent.certNumber,
      brandName: info.name,
      open,
      bound,
      products: items,
      more: open && rows.length > SHOP_PAGE_SIZE,
      categories: open ? categories : [],
    };

    const origin = new URL(c.req.url).origin;
    // The brand's name, never the platform's: the shop wears the brand (worker/lib/brandFace.ts).
    const title = info.name ? `${shownName}的小店 · ${info.name}` : `${shownName}的小店`;
    const description = open
      ? `${info.name ? `${info.name}授权${levelName}` : levelName} ${shownName} 的小店：正品直供，可查授权。`
      : agent.status === 'revoked'
        ? `${shownName} 的小店已关闭。`
        : `${shownName} 的小店已暂停营业。`;
    const firstImage = items.find((p) => p.image)?.image;
    const og = ogTags({
      'og:type': 'website',
      'og:title': title,
      'og:description': description,
      'og:url': `${origin}/s/${code}`,
      ...(firstImage ? { 'og:image': absolute(origin, firstImage) } : {}),
    });
    const cards = items.map((p, i) => productCard(p, code, i)).join('');
    // Asked for before the stylesheet and scripts are parsed: the largest paint waits for nothing else.
    const firstRow = items.slice(0, FIRST_ROW).flatMap((p) => (p.image ? [p.image] : []));
    const preload = firstRow
      .map((image) => `<link rel="preload" as="image" href="${escapeHtml(image)}" fetchpriority="high">`)
      .join('');

    const page = wearBrand(new HTMLRewriter(), info, false)
      .on('html', {
        element(el) {
          el.setAttribute('data-title-en', attrText(`${shownName}'s shop${info.name ? ` · ${info.name}` : ''}`));
          el.setAttribute('data-shop', code);
        },
      })
      .on('title', {
        element(el) {
          el.setInnerContent(title);
        },
      })
      .on('meta[name="description"]', {
        element(el) {
          el.setAttribute('content', attrText(description));
        },
      })
      .on('meta[name="robots"]', {
        element(el) {
          if (open) el.remove();
        },
      })
      .on('head', {
        element(el) {
          el.prepend(preload, { html: true });
          el.append(og, { html: true });
        },
      })
      .on('#brand-home', {
        element(el) {
          el.setAttribute('href', `/s/${code}`);
        },
      })
      .on('.shop-avatar', {
        element(el) {
          el.setInnerContent(Array.from(shownName.trim())[0] ?? '店');
        },
      })
      .on('#shop-name', {
        element(el) {
          el.setInnerContent(shownName);
        },
      })
      .on('#shop-level', {
        element(el) {
          el.setInnerContent(levelName);
        },
      })
      .on('#shop-cert', {
        element(el) {
          if (!agent.certNumber) {
            el.remove();
            return;
          }
          el.setAttribute('href', `/c/${encodeURIComponent(agent.certNumber)}`);
          // A closed shop's authorization is suspended or revoked: the link shows its status, not a claim.
          if (!open) {
            el.setInnerContent('查看授权状态');
            el.setAttribute('data-en', 'Check the authorization status');
            el.removeAttribute('class');
          }
        },
      })
      .on('#shop-bound', {
        element(el) {
          const text = notice ? noticeText(notice, bound?.name ?? '', shownName) : null;
          if (!text) {
            el.remove();
            return;
          }
          el.setInnerContent(text.zh);
          el.setAttribute('data-en', attrText(text.en));
          el.removeAttribute('hidden');
        },
      })
      .on('#shop-signup', {
        element(el) {
          // A signed-in member is one already.
          if (viewer) el.remove();
        },
      })
      .on('#shop-closed', {
        element(el) {
          if (open) {
            el.remove();
            return;
          }
          el.removeAttribute('hidden');
          // Suspension (停货) can be lifted; a revoked agent's shop is closed for good and must not sound temporary.
          if (agent.status === 'suspended') {
            el.setInnerContent('店铺已暂停营业');
            el.setAttribute('data-en', 'This shop is closed for now');
          }
        },
      })
      .on('#shop-open', {
        element(el) {
          if (!open) el.remove();
        },
      })
      .on('#shop-cats', {
        element(el) {
          if (data.categories.length === 0) el.remove();
          else el.append(categoryChips(data.categories), { html: true });
        },
      })
      .on('#shop-products', {
        element(el) {
          el.append(cards, { html: true });
        },
      })
      .on('#shop-data', {
        element(el) {
          el.setInnerContent(scriptJson(data), { html: true });
        },
      })
      .transform(template);

    pageHeaders(template).forEach((value, name) => {
      c.header(name, value);
    });
    // The same preloads as a header: a browser can start them with the headers, and Cloudflare sends a header's
    // preloads ahead of the page as 103 Early Hints, while the Worker still waits for D1.
    const links = firstRow.flatMap((image) => {
      const target = linkTarget(image);
      return target ? [`<${target}>; rel=preload; as=image; fetchpriority=high`] : [];
    });
    if (links.length > 0) c.header('Link', links.join(', '));
    // The page a shared cache may keep sets no cookie: its script remembers the shop (site/src/features/shop).
    c.header('Cache-Control', token ? 'private, max-age=0' : 'public, max-age=60');
    c.header('Vary', 'Cookie');
    if (!page.body) throw new Error('shop template: empty body');
    return c.body(page.body, 200);
  });
