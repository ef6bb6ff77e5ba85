// Generator of a demo (or benchmark) agent network: the rows of every table a fresh brand needs, as plain objects
// keyed by column name (snake_case, as in db/schema.ts). Pure: no I/O, no clock unless `now` is left out, and every
// random choice comes from a PRNG seeded by `seed`, so the same options give the same rows.
// Password hashes come from the caller (a hash function or precomputed strings), so this module needs no crypto.

/** Crockford base32, as in db/ids.ts. */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const DAY = 86_400_000;

/**
 * @typedef {'active' | 'suspended' | 'revoked'} AgentStatus
 * @typedef {{ id: number, name: string, seal_text: string, stock_model: 'direct' | 'cloud', freeze_days: number,
 *   binding_policy: 'permanent' | 'rebind', rebind_days: number, withdraw_min_fen: number, cert_valid_days: number,
 *   updated_at: number }} BrandRow
 * @typedef {{ rank: number, name: string, first_order_fen: number }} LevelRow
 * @typedef {{ id: string, username: string, name: string, password_hash: string, created_at: number }} AdminRow
 * @typedef {{ id: string, code: string, name: string, phone: string, wechat: string, region: string, level: number,
 *   status: AgentStatus, status_reason: string | null, supplier_id: string | null, referrer_id: string | null,
 *   password_hash: string, created_at: number, updated_at: number }} AgentRow
 * @typedef {{ ancestor_id: string, member_id: string, level: number, status: AgentStatus }} TeamMemberRow
 * @typedef {{ owner_id: string, level: number, count: number }} TeamCountRow
 * @typedef {{ number: string, agent_id: string, valid_from: number, valid_until: number, issued_at: number }}
 *   CertificateRow
 * @typedef {{ id: string, phone: string, name: string, password_hash: string, bound_agent_id: string | null,
 *   bound_at: number | null, bound_proof: 'sms' | null, created_at: number }} MemberRow
 * @typedef {{ id: string, name: string, phone: string, wechat: string, region: string, level: number,
 *   referrer_id: string | null, supplier_id: string | null, status: 'pending' | 'approved' | 'rejected',
 *   reason: string | null, password_hash: string, agent_id: string | null, decided_by: string | null,
 *   decided_at: number | null, created_at: number }} ApplicationRow
 * @typedef {{ brand: BrandRow[], levels: LevelRow[], admins: AdminRow[], agents: AgentRow[],
 *   certificates: CertificateRow[], team_members: TeamMemberRow[], team_counts: TeamCountRow[],
 *   members: MemberRow[], applications: ApplicationRow[], products: ProductRow[], product_prices: ProductPriceRow[],
 *   stock: StockRow[] }} Tables
 * @typedef {{ id: string, sku: string, name: string, description: string, images: string[], retail_fen: number,
 *   on_sale: boolean, created_at: number, updated_at: number }} ProductRow
 * @typedef {{ product_id: string, level: number, price_fen: number }} ProductPriceRow
 * @typedef {{ owner_id: string, product_id: string, qty: number }} StockRow
 * @typedef {'admin' | 'agent' | 'member' | 'application'} HashRole
 * @typedef {(role: HashRole, index: number) => string} HashFn
 */

/** The demo brand's levels, top (rank 1) down, with the first order (首批进货) each requires, in fen. */
export const DEMO_LEVELS = /** @type {LevelRow[]} */ ([
  { rank: 1, name: '联创', first_order_fen: 10_000_000 },
  { rank: 2, name: '总代', first_order_fen: 3_000_000 },
  { rank: 3, name: '省代', first_order_fen: 1_000_000 },
  { rank: 4, name: '市代', first_order_fen: 300_000 },
  { rank: 5, name: '县代', first_order_fen: 100_000 },
  { rank: 6, name: '天使', first_order_fen: 30_000 },
]);

// Share of agents per level: a small demo shows every level; a large network is a steep pyramid.
const SMALL_SHARES = [0.07, 0.1, 0.13, 0.17, 0.23, 0.3];
const LARGE_SHARES = [0.001, 0.009, 0.04, 0.12, 0.25, 0.58];

const SURNAMES = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['林', 'lin'],
  ['罗', 'luo'],
  ['高', 'gao'],
  ['郑', 'zheng'],
  ['梁', 'liang'],
  ['谢', 'xie'],
  ['宋', 'song'],
  ['唐', 'tang'],
  ['许', 'xu'],
  ['韩', 'han'],
  ['冯', 'feng'],
  ['邓', 'deng'],
  ['曹', 'cao'],
  ['彭', 'peng'],
  ['曾', 'zeng'],
  ['肖', 'xiao'],
  ['田', 'tian'],
  ['董', 'dong'],
  ['潘', 'pan'],
  ['袁', 'yuan'],
  ['蒋', 'jiang'],
  ['蔡', 'cai'],
  ['叶', 'ye'],
];

const GIVEN = [
  ['丽', 'li'],
  ['静', 'jing'],
  ['敏', 'min'],
  ['燕', 'yan'],
  ['芳', 'fang'],
  ['婷', 'ting'],
  ['娜', 'na'],
  ['雪', 'xue'],
  ['琳', 'lin'],
  ['慧', 'hui'],
  ['佳', 'jia'],
  ['欣', 'xin'],
  ['悦', 'yue'],
  ['倩', 'qian'],
  ['颖', 'ying'],
  ['晶', 'jing'],
  ['萍', 'ping'],
  ['红', 'hong'],
  ['梅', 'mei'],
  ['霞', 'xia'],
  ['玲', 'ling'],
  ['云', 'yun'],
  ['秀', 'xiu'],
  ['兰', 'lan'],
  ['晓', 'xiao'],
  ['雨', 'yu'],
  ['思', 'si'],
  ['梦', 'meng'],
  ['诗', 'shi'],
  ['涵', 'han'],
  ['伟', 'wei'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['浩', 'hao'],
  ['宇', 'yu'],
  ['鹏', 'peng'],
  ['辉', 'hui'],
  ['斌', 'bin'],
  ['凯', 'kai'],
];

// Provinces (or municipalities) with a few of their cities (or districts).
const REGIONS = [
  ['浙江省', ['杭州市', '宁波市', '温州市', '金华市', '绍兴市', '嘉兴市']],
  ['广东省', ['广州市', '深圳市', '佛山市', '东莞市', '珠海市', '汕头市']],
  ['江苏省', ['南京市', '苏州市', '无锡市', '常州市', '南通市', '徐州市']],
  ['山东省', ['济南市', '青岛市', '烟台市', '潍坊市', '临沂市']],
  ['四川省', ['成都市', '绵阳市', '宜宾市', '南充市']],
  ['湖北省', ['武汉市', '宜昌市', '襄阳市', '荆州市']],
  ['河南省', ['郑州市', '洛阳市', '南阳市', '新乡市']],
  ['福建省', ['福州市', '厦门市', '泉州市', '漳州市']],
  ['湖南省', ['长沙市', '株洲市', '岳阳市', '衡阳市']],
  ['安徽省', ['合肥市', '芜湖市', '蚌埠市']],
  ['江西省', ['南昌市', '赣州市', '九江市']],
  ['河北省', ['石家庄市', '保定市', '唐山市']],
  ['上海市', ['浦东新区', '徐汇区', '闵行区', '静安区']],
  ['北京市', ['朝阳区', '海淀区', '丰台区']],
];

// Mobile prefixes in use. 170/171 (virtual operators) are left out so tools can make phones that never collide.
const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '198',
  '199',
];

const SUSPEND_REASONS = ['低于指导价销售（乱价）', '跨区域销售（串货）', '未按要求完成实名认证'];

/**
 * A seeded PRNG (sfc32, seeded through a string hash), with the few draws the generator needs.
 * @param {string | number} seed
 */
export function createRng(seed) {
  // cyrb128: four 32-bit words from the seed text.
  const text = String(seed);
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return {
    /** A float in [0, 1). */
    next,
    /** @param {number} n @returns {number} an integer in [0, n) */
    int: (n) => Math.floor(next() * n),
    /** @template T @param {readonly T[]} items @returns {T} */
    pick: (items) => /** @type {T} */ (items[Math.floor(next() * items.length)]),
    /** @param {number} p */
    chance: (p) => next() < p,
  };
}

/** @typedef {ReturnType<typeof createRng>} Rng */

/** @param {Rng} rng @param {number} length */
function base32(rng, length) {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[rng.int(32)];
  return out;
}

/** The 10-character time prefix of db/ids.ts. @param {number} now */
export function timePart(now) {
  let t = now;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/**
 * An id in the format of newId() in db/ids.ts, its random part drawn from `rng`.
 * @param {Rng} rng @param {'agt' | 'app' | 'mem' | 'adm' | 'aud'} prefix @param {number} at
 */
export function seededId(rng, prefix, at) {
  return `${prefix}_${timePart(at)}${base32(rng, 16)}`.toLowerCase();
}

/** @param {Set<string>} taken @param {() => string} make */
function unique(taken, make) {
  for (;;) {
    const value = make();
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
}

/**
 * Per-level counts that add up to `total`, by largest remainder.
 * @param {number} total @param {readonly number[]} shares
 */
export function quotas(total, shares) {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (s / sum) * total);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let left = total - out.reduce((a, b) => a + b, 0);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

/**
 * Options of generateNetwork. Either `hash` or `hashes` supplies the password hashes.
 * @typedef {object} NetworkOptions
 * @property {number} agentCount how many agents
 * @property {string | number} [seed] PRNG seed; the same seed and options give the same rows
 * @property {number} [now] the current time in ms (ids, dates); default Date.now()
 * @property {HashFn} [hash] called once per account for its password hash
 * @property {{ admin?: string, agent?: string, member?: string, application?: string }} [hashes] one precomputed
 *   hash per role, reused for every account of that role (fast, for large benchmark networks)
 * @property {LevelRow[]} [levels] default DEMO_LEVELS
 * @property {number[]} [levelShares] share of agents per level, top first
 * @property {number} [suspendedCount] default 2, or 0.3 % of a large network
 * @property {number} [memberCount] default 4
 * @property {number} [applicationCount] pending applications, default 2
 * @property {number} [spanDays] the network grew over this many days before `now`, default 300
 * @property {string} [brandName]
 * @property {string} [adminUsername]
 * @property {number} [productCount] demo products on sale (0..DEMO_SHOP_PRODUCTS.length), default all of them
 */

/**
 * Generates a whole network.
 * @param {NetworkOptions} options
 * @returns {{ tables: Tables, founders: string[] }} the rows per table, and the ids of the founding chain
 *   (one active agent per level, each supplied by the one before: good demo logins)
 */
export function generateNetwork(options) {
  const {
    agentCount,
    seed = 'agentry-demo',
    now = Date.now(),
    levels = DEMO_LEVELS,
    memberCount = 4,
    applicationCount = 2,
    spanDays = 300,
    brandName = '悦颜美妆',
    adminUsername = 'admin',
    productCount = DEMO_SHOP_PRODUCTS.length,
  } = options;
  if (!Number.isInteger(agentCount) || agentCount < 0) throw new Error('agentCount must be a non-negative integer');
  const hashOf = passwordSource(options);
  const rng = createRng(seed);
  const rankCount = levels.length;
  const shares = options.levelShares ?? (agentCount <= 200 ? SMALL_SHARES : LARGE_SHARES);
  if (shares.length !== rankCount) throw new Error('levelShares needs one share per level');
  const suspendedCount = options.suspendedCount ?? (agentCount <= 200 ? 2 : Math.round(agentCount * 0.003));

  const start = now - spanDays * DAY;
  const ids = new Set();
  const phones = new Set();
  const wechats = new Set();
  const codes = new Set();
  const certNumbers = new Set();
  const newId = (/** @type {'agt' | 'app' | 'mem' | 'adm'} */ prefix, /** @type {number} */ at) =>
    unique(ids, () => seededId(rng, prefix, at));
  const newPhone = () => unique(phones, () => rng.pick(PHONE_PREFIXES) + String(rng.int(1e8)).padStart(8, '0'));
  const person = () => {
    const [surname, surnamePinyin] = rng.pick(SURNAMES);
    const given = rng.chance(0.7) ? [rng.pick(GIVEN), rng.pick(GIVEN)] : [rng.pick(GIVEN)];
    return {
      name: surname + given.map((g) => g[0]).join(''),
      pinyin: surnamePinyin + given.map((g) => g[1]).join(''),
    };
  };
  const newWechat = (/** @type {string} */ pinyin) =>
    unique(wechats, () => {
      const digits = String(rng.int(10_000));
      const style = rng.int(4);
      const text =
        style === 0
          ? `${pinyin}${digits}`
          : style === 1
            ? `${pinyin}_${digits}`
            : style === 2
              ? `wx_${pinyin}${rng.int(100)}`
              : `${pinyin[0]?.toUpperCase()}${pinyin.slice(1)}-${digits}`;
      return text.length >= 6 ? text.slice(0, 20) : `${text}${'0'.repeat(6 - text.length)}`;
    });

  // Brand, levels, admin.
  const brand = {
    id: 1,
    name: brandName,
    seal_text: `${brandName}品牌授权专用章`,
    // The brand ships every order (厂家统一发货), so a consumer order needs no agent stock.
    stock_model: /** @type {const} */ ('direct'),
    freeze_days: 7,
    binding_policy: /** @type {const} */ ('permanent'),
    rebind_days: 90,
    withdraw_min_fen: 10_000,
    cert_valid_days: 365,
    updated_at: start,
  };
  const admins = [
    {
      id: newId('adm', start),
      username: adminUsername,
      name: '品牌管理员',
      password_hash: hashOf('admin', 0),
      created_at: start,
    },
  ];

  // Agents, in creation order. The first `rankCount` form the founding chain (one per level); the rest join in an
  // order that favours higher levels early, each recruited by an existing agent (or the brand) and placed under the
  // nearest strictly-higher agent of its recruiter's chain, as worker/domain/placement.ts does.
  const quota = quotas(agentCount, shares);
  const founderCount = Math.min(rankCount, agentCount);
  /** @type {number[]} */
  const order = [];
  for (let r = 0; r < founderCount; r++) quota[r]--;
  for (let r = 0; r < rankCount; r++) {
    for (let k = 0; k < Math.max(0, quota[r] ?? 0); k++) order.push(r + 1);
  }
  const keyed = order.map((rank) => ({ rank, key: rng.next() + (rank - 1) * 0.15 }));
  keyed.sort((a, b) => a.key - b.key);
  const ranks = [...Array.from({ length: founderCount }, (_, i) => i + 1), ...keyed.map((k) => k.rank)];

  const level = new Int8Array(agentCount);
  const supplier = new Int32Array(agentCount).fill(-1);
  const referrer = new Int32Array(agentCount).fill(-1);
  const province = new Int16Array(agentCount);
  /** @type {number[][]} tickets per rank: an agent once, plus once per agent it supplies (preferential attachment) */
  const tickets = Array.from({ length: rankCount + 1 }, () => []);

  /** The nearest of `from` and the agents above it whose level is strictly higher than `rank`, or -1 (brand). */
  const placeUnder = (/** @type {number} */ from, /** @type {number} */ rank) => {
    let at = from;
    while (at !== -1 && (level[at] ?? 0) >= rank) at = supplier[at] ?? -1;
    return at;
  };
  /** An existing agent of level `rank` or the nearest non-empty level above it, or -1. */
  const recruiterAtOrAbove = (/** @type {number} */ rank) => {
    for (let r = rank; r >= 1; r--) {
      const pool = tickets[r] ?? [];
      if (pool.length > 0) return rng.pick(pool);
    }
    return -1;
  };
  const recruiterAtOrBelow = (/** @type {number} */ rank) => {
    for (let r = rank; r <= rankCount; r++) {
      const pool = tickets[r] ?? [];
      if (pool.length > 0 && (r === rank || rng.chance(0.5))) return rng.pick(pool);
    }
    return -1;
  };

  for (let i = 0; i < agentCount; i++) {
    const rank = ranks[i] ?? rankCount;
    level[i] = rank;
    let recruitedBy = -1;
    if (i < founderCount) {
      recruitedBy = i - 1;
    } else if (rank === 1) {
      // A new 联创 is signed by the brand, or brought in by an agent who stays its referrer only.
      recruitedBy = rng.chance(0.6) ? -1 : recruiterAtOrBelow(rng.int(rankCount) + 1);
    } else if (rng.chance(0.03)) {
      recruitedBy = -1; // came through the brand's own channels
    } else if (rng.chance(0.15)) {
      // Recruited by a peer or a lower level (a 天使 recruiting a 天使): supplied up the recruiter's chain.
      recruitedBy = recruiterAtOrBelow(rank);
    } else {
      const target = rank === 2 || rng.chance(0.75) ? rank - 1 : 1 + rng.int(rank - 2);
      recruitedBy = recruiterAtOrAbove(target);
    }
    referrer[i] = recruitedBy;
    const sup = recruitedBy === -1 ? -1 : placeUnder(recruitedBy, rank);
    supplier[i] = sup;
    province[i] = sup !== -1 && rng.chance(0.75) ? (province[sup] ?? 0) : rng.int(REGIONS.length);
    tickets[rank]?.push(i);
    if (sup !== -1) tickets[level[sup] ?? 0]?.push(sup);
  }

  // Creation times: spread over the span, strictly increasing, so every supplier joined before its downline.
  const createdAt = new Float64Array(agentCount);
  {
    const span = Math.max(1, now - DAY - (start + DAY));
    const times = Array.from({ length: agentCount }, () => start + DAY + Math.floor(rng.next() * span)).sort(
      (a, b) => a - b,
    );
    let last = start + DAY - 1;
    for (let i = 0; i < agentCount; i++) {
      last = Math.max(last + 1, times[i] ?? 0);
      createdAt[i] = last;
    }
  }

  // A few suspended agents (停货), never a founder, mostly at the bottom levels.
  const status = /** @type {AgentStatus[]} */ (Array.from({ length: agentCount }, () => 'active'));
  const reason = /** @type {(string | null)[]} */ (Array.from({ length: agentCount }, () => null));
  const suspendedAt = new Float64Array(agentCount);
  {
    const candidates = [];
    for (let i = founderCount; i < agentCount; i++) if ((level[i] ?? 0) >= rankCount - 1) candidates.push(i);
    const wanted = Math.min(suspendedCount, candidates.length);
    for (let k = 0; k < wanted; k++) {
      const j = k + rng.int(candidates.length - k);
      const chosen = candidates[j] ?? 0;
      candidates[j] = candidates[k] ?? 0;
      candidates[k] = chosen;
      status[chosen] = 'suspended';
      reason[chosen] = rng.pick(SUSPEND_REASONS);
      suspendedAt[chosen] = Math.max((createdAt[chosen] ?? 0) + 1, now - (1 + rng.int(20)) * DAY);
    }
  }

  /** @type {AgentRow[]} */
  const agents = [];
  for (let i = 0; i < agentCount; i++) {
    const at = createdAt[i] ?? 0;
    const who = person();
    const [provinceName, cities] = /** @type {[string, string[]]} */ (REGIONS[province[i] ?? 0]);
    // 联创/总代/省代 are authorized for a province, the levels below for a city.
    const region = (level[i] ?? 0) <= 3 ? provinceName : provinceName + rng.pick(cities);
    agents.push({
      id: newId('agt', at),
      code: unique(codes, () => base32(rng, 8).toLowerCase()),
      name: who.name,
      phone: newPhone(),
      wechat: newWechat(who.pinyin),
      region,
      level: level[i] ?? 0,
      status: status[i] ?? 'active',
      status_reason: reason[i] ?? null,
      supplier_id: null,
      referrer_id: null,
      password_hash: hashOf('agent', i),
      created_at: at,
      updated_at: status[i] === 'suspended' ? (suspendedAt[i] ?? at) : at,
    });
  }
  for (let i = 0; i < agentCount; i++) {
    const row = /** @type {AgentRow} */ (agents[i]);
    const s = supplier[i] ?? -1;
    const r = referrer[i] ?? -1;
    row.supplier_id = s === -1 ? null : (agents[s]?.id ?? null);
    row.referrer_id = r === -1 ? null : (agents[r]?.id ?? null);
  }

  // Certificates: issued on approval, valid for the brand's cert_valid_days.
  const certificates = agents.map((a) => ({
    number: unique(certNumbers, () => `AG${new Date(a.created_at).getUTCFullYear()}${base32(rng, 16)}`),
    agent_id: a.id,
    valid_from: a.created_at,
    valid_until: a.created_at + brand.cert_valid_days * DAY,
    issued_at: a.created_at,
  }));

  // Team closure and counts, as db/network.ts maintains them.
  /** @type {TeamMemberRow[]} */
  const teamMembers = [];
  /** @type {Map<string, number[]>} */
  const counts = new Map();
  const count = (/** @type {string} */ owner, /** @type {number} */ rank) => {
    let perLevel = counts.get(owner);
    if (!perLevel) {
      perLevel = new Array(rankCount + 1).fill(0);
      counts.set(owner, perLevel);
    }
    perLevel[rank] = (perLevel[rank] ?? 0) + 1;
  };
  for (let i = 0; i < agentCount; i++) {
    const a = /** @type {AgentRow} */ (agents[i]);
    const counted = a.status !== 'revoked';
    if (counted) count('brand', a.level);
    for (let up = supplier[i] ?? -1; up !== -1; up = supplier[up] ?? -1) {
      const ancestorId = /** @type {AgentRow} */ (agents[up]).id;
      teamMembers.push({ ancestor_id: ancestorId, member_id: a.id, level: a.level, status: a.status });
      if (counted) count(ancestorId, a.level);
    }
  }
  /** @type {TeamCountRow[]} */
  const teamCounts = [];
  for (const [owner, perLevel] of counts) {
    perLevel.forEach((n, rank) => {
      if (n > 0) teamCounts.push({ owner_id: owner, level: rank, count: n });
    });
  }

  // Members (会员): consumers bound (锁粉) to active agents at the bottom levels.
  const sellers = agents.filter((a) => a.status === 'active' && a.level >= rankCount - 1);
  /** @type {MemberRow[]} */
  const members = [];
  for (let k = 0; k < memberCount && sellers.length > 0; k++) {
    const bound = rng.pick(sellers);
    const at = Math.max(bound.created_at + DAY, now - (1 + rng.int(30)) * DAY - rng.int(DAY));
    members.push({
      id: newId('mem', at),
      phone: newPhone(),
      name: person().name,
      password_hash: hashOf('member', k),
      bound_agent_id: bound.id,
      bound_at: at,
      // Signed up through the agent's link with the phone proved by an SMS code: the proof a binding needs.
      bound_proof: 'sms',
      created_at: at,
    });
  }
  members.sort((a, b) => a.created_at - b.created_at);

  // Pending applications, each addressed to the supplier placement gives it: alternately a 天使 invited by an agent
  // of the level above, and a higher level invited by a 天使 (so the supplier is further up, or the brand).
  /** @type {ApplicationRow[]} */
  const applications = [];
  const activeIndex = [];
  for (let i = 0; i < agentCount; i++) if (status[i] === 'active') activeIndex.push(i);
  for (let k = 0; k < applicationCount && activeIndex.length > 0; k++) {
    const wantBottom = k % 2 === 0;
    const pool = activeIndex.filter((i) => (level[i] ?? 0) === (wantBottom ? rankCount - 1 : rankCount));
    const recruiter = rng.pick(pool.length > 0 ? pool : activeIndex);
    const applied = wantBottom ? rankCount : Math.max(1, rankCount - 2);
    const sup = placeUnderActive(recruiter, applied, level, supplier, status);
    const who = person();
    const [provinceName, cities] = /** @type {[string, string[]]} */ (REGIONS[province[recruiter] ?? 0]);
    const at = now - (1 + rng.int(48)) * 3_600_000 - rng.int(3_600_000);
    applications.push({
      id: newId('app', at),
      name: who.name,
      phone: newPhone(),
      wechat: newWechat(who.pinyin),
      region: provinceName + rng.pick(cities),
      level: applied,
      referrer_id: agents[recruiter]?.id ?? null,
      supplier_id: sup === -1 ? null : (agents[sup]?.id ?? null),
      status: 'pending',
      reason: null,
      password_hash: hashOf('application', k),
      agent_id: null,
      decided_by: null,
      decided_at: null,
      created_at: at,
    });
  }
  applications.sort((a, b) => a.created_at - b.created_at);

  return {
    tables: {
      brand: [brand],
      levels: levels.map((l) => ({ ...l })),
      admins,
      agents,
      certificates,
      team_members: teamMembers,
      team_counts: teamCounts,
      members,
      applications,
      ...demoCatalog(seed, start, levels.length, productCount),
    },
    founders: agents.slice(0, founderCount).map((a) => a.id),
  };
}

/**
 * The shop's demo products: name, image under site/public, retail price and the price of each level from the top
 * (0 < P1 ≤ … ≤ P6 ≤ R, in fen), and the units in the brand's warehouse. The first is the design's worked example.
 */
export const DEMO_SHOP_PRODUCTS = /** @type {const} */ ([
  {
    name: '焕颜修护精华液 30ml',
    image: '/img/products/serum.jpg',
    retail: 29_900,
    prices: [15_900, 16_900, 18_400, 20_400, 22_900, 25_900],
    stock: 500,
    description: '小分子修护精华，舒缓泛红、提亮肤色，早晚各用 2–3 滴。',
  },
  {
    name: '玻尿酸补水面膜 10片',
    image: '/img/products/mask.jpg',
    retail: 12_900,
    prices: [6_900, 7_300, 7_900, 8_800, 9_900, 11_200],
    stock: 800,
    description: '三重玻尿酸深层补水，蚕丝膜布轻薄贴肤，每周 2–3 次。',
  },
  {
    name: '氨基酸温和洁面乳 120g',
    image: '/img/products/cleanser.jpg',
    retail: 8_900,
    prices: [4_700, 5_000, 5_500, 6_100, 6_800, 7_700],
    stock: 600,
    description: '氨基酸表活，绵密泡沫，洗后不紧绷，敏感肌可用。',
  },
  {
    name: '清透防晒隔离乳 SPF50+',
    image: '/img/products/sunscreen.jpg',
    retail: 13_900,
    prices: [7_400, 7_900, 8_600, 9_500, 10_600, 12_000],
    stock: 400,
    description: '高倍防晒，清爽不油腻，妆前打底一步到位。',
  },
  {
    name: '紧致淡纹眼霜 20g',
    image: '/img/products/eye-cream.jpg',
    retail: 25_900,
    prices: [13_800, 14_600, 15_900, 17_700, 19_800, 22_400],
    stock: 300,
    description: '多肽紧致配方，淡化细纹与干纹，点涂于眼周轻按至吸收。',
  },
]);

/**
 * Products, level prices and warehouse stock from DEMO_SHOP_PRODUCTS. They draw from their own PRNG, so the network's
 * rows stay the same with or without them. A brand with fewer levels than six uses the lowest prices of the table.
 * @param {string | number} seed @param {number} at @param {number} levelCount @param {number} count
 * @returns {{ products: ProductRow[], product_prices: ProductPriceRow[], stock: StockRow[] }}
 */
function demoCatalog(seed, at, levelCount, count) {
  if (!Number.isInteger(count) || count < 0 || count > DEMO_SHOP_PRODUCTS.length) {
    throw new Error(`productCount must be 0..${DEMO_SHOP_PRODUCTS.length}`);
  }
  const rng = createRng(`${seed}:shop-products`);
  /** @type {{ products: ProductRow[], product_prices: ProductPriceRow[], stock: StockRow[] }} */
  const tables = { products: [], product_prices: [], stock: [] };
  DEMO_SHOP_PRODUCTS.slice(0, count).forEach((p, k) => {
    const id = `prd_${timePart(at + k)}${base32(rng, 16)}`.toLowerCase();
    tables.products.push({
      id,
      sku: `YY-S${String(k + 1).padStart(2, '0')}`,
      name: p.name,
      description: p.description,
      images: [p.image],
      retail_fen: p.retail,
      on_sale: true,
      created_at: at + k,
      updated_at: at + k,
    });
    const prices = p.prices.slice(Math.max(0, p.prices.length - levelCount));
    for (let rank = 1; rank <= levelCount; rank++) {
      tables.product_prices.push({ product_id: id, level: rank, price_fen: prices[rank - 1] ?? p.retail });
    }
    tables.stock.push({ owner_id: 'brand', product_id: id, qty: p.stock });
  });
  return tables;
}

/**
 * Placement as worker/domain/placement.ts: the nearest active agent from the recruiter up whose level is higher.
 * @param {number} from @param {number} rank @param {Int8Array} level @param {Int32Array} supplier
 * @param {AgentStatus[]} status
 */
function placeUnderActive(from, rank, level, supplier, status) {
  for (let at = from; at !== -1; at = supplier[at] ?? -1) {
    if (status[at] === 'active' && (level[at] ?? 0) < rank) return at;
  }
  return -1;
}

/** @param {NetworkOptions} options @returns {HashFn} */
function passwordSource(options) {
  const { hash, hashes } = options;
  if (hash) return hash;
  if (hashes) {
    return (role) => {
      const value = hashes[role] ?? hashes.agent;
      if (!value) throw new Error(`no password hash for ${role}`);
      return value;
    };
  }
  throw new Error('generateNetwork needs `hash` or `hashes`');
}
