// Generator of a brand's order history on top of a network from network.mjs: a product catalog (products, level
// prices, warehouse stock) as plain rows, and the SQL that derives orders, order lines, settlement rows
// (order_shares), ledger entries and balances inside the database, from the agents and team_members already loaded.
// Pure: no I/O. The same options give the same rows: every random choice is a hash of the order's number and the
// seed (no SQLite random()), and ids have the format of db/ids.ts.
//
// Why SQL: a million orders make about 25 million rows (settlement and ledger rows are most of them), and local D1
// inserts from SQL text at some 10,000 rows a second, while INSERT … SELECT inside SQLite is 30× faster. The rows
// follow the Worker's own rules (DESIGN.md, Difference settlement and Ledger), so they are what the API would have
// written for the same orders in the `direct` stock model:
// - order_shares: per line, the seller (consumer orders), every active agent above it (team_members) and the brand;
//   each buys at its level price and sells at the price of the active agent below (the retail price, or the buyer's
//   level price for a restock); zero shares are left out, as settle() does.
// - ledger_entries: a payment transaction per paid order (the payer gives the amount; each party's account takes its
//   shares: brand:revenue, an agent's wallet account), no release entries (a release flips the shares and the held
//   counters, as worker/release.ts), and a refund transaction per refunded order (each party back to the payer).
// - held_shares: per agent, what its held (status 'pending') shares still hold.
// - balances: the sum of each account's entries (brand:clearing, which every transaction nets to zero, has no row,
//   as in the API).
// Orders are spread over the network's history in proportion to its size (`spread: 'even'`: the same number every
// day that has an agent, for a brand of steady size), each sold through (or bought by) an
// active agent who joined before it, older agents more often; statuses follow from each order's age: unpaid
// orders are recent, most old ones are completed, a few are cancelled, refused or refunded. On the 100,000-agent
// network a million orders come with 1.3 million lines, 5.8 million settlement rows and 20 million ledger entries:
// about 8 GB of local D1 database.

import { ALPHABET, createRng, DEMO_LEVELS, timePart } from './network.mjs';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** The modulus of the SQL hash: 2^31 − 1 (a prime), so a square stays below 2^62 (SQLite integers are 64-bit). */
const P = 2_147_483_647;
const LOWER = ALPHABET.toLowerCase();

/**
 * @typedef {{ id: string, sku: string, name: string, description: string, images: string, retail_fen: number,
 *   on_sale: number, created_at: number, updated_at: number }} ProductRow
 * @typedef {{ product_id: string, level: number, price_fen: number }} ProductPriceRow
 * @typedef {{ owner_id: string, product_id: string, qty: number }} StockRow
 * @typedef {{ products: ProductRow[], product_prices: ProductPriceRow[], stock: StockRow[] }} CatalogTables
 * @typedef {{ group: string, step: string, sql: string }} SeedStatement
 */

/** The demo catalog: name and retail price in fen. */
export const DEMO_PRODUCTS = /** @type {const} */ ([
  ['焕颜修护精华液 30ml', 29_900],
  ['玻尿酸补水面膜 10片', 12_900],
  ['氨基酸温和洁面乳', 8_900],
  ['烟酰胺美白身体乳', 15_900],
  ['水光焕亮精华水', 19_900],
  ['胶原蛋白肽饮 30瓶', 39_900],
  ['清透防晒隔离乳 SPF50+', 13_900],
  ['紧致淡纹眼霜', 25_900],
  ['修护舒缓晚霜', 32_900],
  ['益生菌固体饮料 20袋', 19_800],
  ['酵素果蔬饮 10瓶', 16_800],
  ['控油去屑洗发露', 9_900],
  ['香氛沐浴露', 7_900],
  ['护手霜礼盒', 12_800],
  ['舒缓修护喷雾', 11_900],
  ['卸妆洁颜油', 13_800],
  ['美白淡斑精华', 35_900],
  ['头皮养护精油', 16_900],
  ['睡眠面膜', 14_900],
  ['蚕丝蛋白面膜 5片', 9_800],
  ['男士控油洁面', 6_900],
  ['口腔清新喷雾', 4_900],
  ['维生素C泡腾片', 5_900],
  ['年货焕颜礼盒', 59_900],
]);

// Level price ÷ retail price, top level first: the seed article's split (P1..P6 = 159…259 of R = 299), interpolated
// for brands with another number of levels.
const PRICE_RATIOS = [159 / 299, 169 / 299, 184 / 299, 204 / 299, 229 / 299, 259 / 299];

/** @param {number} rank @param {number} levelCount */
function priceRatio(rank, levelCount) {
  if (levelCount <= 1) return PRICE_RATIOS[0] ?? 0.5;
  const x = ((rank - 1) / (levelCount - 1)) * (PRICE_RATIOS.length - 1);
  const lo = Math.floor(x);
  const a = PRICE_RATIOS[lo] ?? 0.5;
  const b = PRICE_RATIOS[Math.min(lo + 1, PRICE_RATIOS.length - 1)] ?? a;
  return a + (b - a) * (x - lo);
}

/**
 * Products with a price for every level (0 < P1 < … < PN < R, whole yuan) and their warehouse stock.
 * @param {{ seed?: string | number, now?: number, spanDays?: number, levels?: readonly { rank: number }[],
 *   productCount?: number, stockQty?: number }} [options] stockQty: units of each product in the brand's warehouse
 * @returns {CatalogTables}
 */
export function generateCatalog(options = {}) {
  const {
    seed = 'agentry-demo',
    now = Date.now(),
    spanDays = 300,
    levels = DEMO_LEVELS,
    productCount = DEMO_PRODUCTS.length,
    stockQty = 100_000_000,
  } = options;
  if (!Number.isInteger(productCount) || productCount < 1 || productCount > DEMO_PRODUCTS.length) {
    throw new Error(`productCount must be 1..${DEMO_PRODUCTS.length}`);
  }
  const rng = createRng(`${seed}:catalog`);
  const at = now - spanDays * DAY;
  const ranks = levels.map((l) => l.rank).sort((a, b) => a - b);
  /** @type {CatalogTables} */
  const tables = { products: [], product_prices: [], stock: [] };
  for (let k = 0; k < productCount; k++) {
    const [name, retail] = /** @type {readonly [string, number]} */ (DEMO_PRODUCTS[k]);
    let random = '';
    for (let c = 0; c < 16; c++) random += LOWER[rng.int(32)];
    const id = `prd_${timePart(at + k).toLowerCase()}${random}`;
    tables.products.push({
      id,
      sku: `YY-${String(1001 + k)}`,
      name,
      description: `${name}，品牌官方正品，支持防伪查询。`,
      images: '[]',
      retail_fen: retail,
      on_sale: 1,
      created_at: at + k,
      updated_at: at + k,
    });
    // Lowest level first, so each price stays strictly below the one of the level under it.
    let ceiling = retail;
    for (const rank of [...ranks].reverse()) {
      const price = Math.min(ceiling - 100, Math.round((retail * priceRatio(rank, ranks.length)) / 100) * 100);
      if (price <= 0) throw new Error(`retail price ${retail} is too low for ${ranks.length} levels`);
      tables.product_prices.push({ product_id: id, level: rank, price_fen: price });
      ceiling = price;
    }
    tables.stock.push({ owner_id: 'brand', product_id: id, qty: stockQty });
  }
  return tables;
}

// Words for shipping addresses and carriers, loaded into a scratch table the SQL picks from.
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蒋蔡叶';
const GIVEN = '丽静敏燕芳婷娜雪琳慧佳欣悦倩颖晶萍红梅霞玲云秀兰晓雨思梦诗涵伟强磊军洋勇杰涛明超浩宇鹏辉斌凯';
const PLACES = [
  '浙江省杭州市西湖区',
  '浙江省杭州市余杭区',
  '浙江省宁波市鄞州区',
  '浙江省温州市鹿城区',
  '广东省广州市天河区',
  '广东省深圳市南山区',
  '广东省深圳市宝安区',
  '广东省佛山市顺德区',
  '广东省东莞市南城街道',
  '江苏省南京市鼓楼区',
  '江苏省苏州市工业园区',
  '江苏省无锡市梁溪区',
  '山东省济南市历下区',
  '山东省青岛市市南区',
  '四川省成都市武侯区',
  '四川省成都市锦江区',
  '湖北省武汉市洪山区',
  '河南省郑州市金水区',
  '福建省厦门市思明区',
  '福建省福州市鼓楼区',
  '湖南省长沙市岳麓区',
  '安徽省合肥市蜀山区',
  '江西省南昌市红谷滩区',
  '河北省石家庄市长安区',
  '上海市浦东新区',
  '上海市徐汇区',
  '北京市朝阳区',
  '北京市海淀区',
];
const ROADS = ['人民路', '解放路', '中山路', '建设路', '文三路', '长江路', '新华路', '胜利路', '和平路', '光明路'];
const CARRIERS = [
  ['顺丰速运', 'SF'],
  ['中通快递', 'ZTO'],
  ['圆通速递', 'YT'],
  ['韵达快递', 'YD'],
  ['京东物流', 'JD'],
];
const REFUND_REASONS = ['七天无理由退货', '商品破损，顾客申请退款', '发错货，顾客申请退款', '顾客重复下单'];
const REFUSE_REASON = '库存调整，本批暂不供货';
const BUYER_NOTES = ['请尽快发货', '送人的，不要放价格单', '周末不在家，请放快递柜'];

/** The scratch tables the statements create and drop (a loader may also drop them after a failed run). */
export const SCRATCH_TABLES = [
  '_seed_plan',
  '_seed_days',
  '_seed_n',
  '_seed_sellers',
  '_seed_products',
  '_seed_words',
  '_seed_mark',
];

/**
 * The shape of the history.
 * @typedef {object} OrderOptions
 * @property {number} orderCount how many orders
 * @property {string | number} [seed]
 * @property {number} [now] the current time in ms; orders are created before it. Use the network's `now`.
 * @property {number} [spanDays] the history covers this many days before `now`, default 300 (network.mjs's span)
 * @property {number} [freezeDays] the brand's freeze period, default 7
 * @property {number} [productCount] products on sale (the catalog's size), default DEMO_PRODUCTS.length
 * @property {number} [chunkSize] orders per INSERT statement, default 100,000
 * @property {number} [restockShare] share of agents' own restock orders, default 0.12 (the rest are consumer orders)
 * @property {'growing' | 'even'} [spread] orders per day: 'growing' (default) in proportion to the agents who had
 *   joined by then, 'even' the same on every day with at least one agent; either way an order's seller is drawn
 *   among the agents who had joined by its day
 */

/**
 * The statements that add `orderCount` orders to a database holding a network and a catalog (products on sale,
 * level prices), in order; each is one SQL statement, `chunkSize` orders at a time. They create scratch tables
 * (SCRATCH_TABLES) and drop them at the end. For speed, drop the secondary indexes of the order and ledger tables
 * first and create them again afterwards: the rows are inserted in primary-key order, so the primary keys cost
 * little to maintain, but an index by agent, party or account would be written at random places.
 * @param {OrderOptions} options
 * @returns {SeedStatement[]}
 */
export function orderStatements(options) {
  const {
    orderCount,
    seed = 'agentry-demo',
    now = Date.now(),
    spanDays = 300,
    freezeDays = 7,
    productCount = DEMO_PRODUCTS.length,
    chunkSize = 100_000,
    restockShare = 0.12,
    spread = 'growing',
  } = options;
  if (!Number.isInteger(orderCount) || orderCount < 1) throw new Error('orderCount must be a positive integer');
  if (!Number.isInteger(productCount) || productCount < 1) throw new Error('productCount must be positive');
  if (spread !== 'growing' && spread !== 'even') throw new Error("spread must be 'growing' or 'even'");
  // A day's weight in the history: its sellers, or 1 for any day that has one (a day without sellers gets no orders).
  const weight = spread === 'even' ? 'min(sellers, 1)' : 'sellers';
  const rng = createRng(`${seed}:orders`);
  const salts = Array.from({ length: 64 }, () => 1 + rng.int(P - 1));
  const start = now - spanDays * DAY;
  const maxLines = Math.min(3, productCount);
  const maxStep = Math.max(1, Math.floor((productCount - 1) / 2));

  /**
   * A pseudo-random integer in [0, P) from a non-negative integer expression: an affine map and two squarings
   * modulo P, salted per use so two uses of one order's number are independent.
   * @param {string} expr @param {number} use
   */
  const hash = (expr, use) => {
    const x0 = `((${expr}) * 1103515245 + ${salts[use]}) % ${P}`;
    const x1 = `((${x0}) * (${x0}) + ${salts[use + 32]}) % ${P}`;
    return `((${x1}) * (${x1}) + 12345) % ${P}`;
  };
  /** A uniform number in [0, 1) from a column holding a hash. @param {string} column */
  const unit = (column) => `(${column} / ${P}.0)`;
  /**
   * The code point of the base32 digit (Crockford, lower case: 0-9, then a-z without i, l, o, u) of a 5-bit value.
   * Ids are built with one char() call of these: substr() would scan its string from the start every time.
   * @param {string} v an expression with a value in 0..31
   */
  const digit = (v) =>
    `CASE WHEN ${v} < 10 THEN 48 + ${v} ELSE 87 + ${v} + (${v} >= 18) + (${v} >= 20) + (${v} >= 22) + (${v} >= 27) END`;
  /** The 5-bit digits of db/ids.ts's time part of an integer column, most significant first. */
  const timeDigits = (/** @type {string} */ column) => {
    const parts = [];
    for (let p = 9; p >= 0; p--) parts.push(digit(`((${column} / ${32 ** p}) % 32)`));
    return parts;
  };
  /** 16 random digits from three hash columns (6 + 6 + 4 digits of 5 bits). @param {string[]} columns */
  const randomDigits = (columns) => {
    const parts = [];
    for (const [c, count] of /** @type {[number, number][]} */ ([
      [0, 6],
      [1, 6],
      [2, 4],
    ])) {
      for (let q = 0; q < count; q++) parts.push(digit(`((${columns[c]} >> ${5 * q}) & 31)`));
    }
    return parts;
  };
  /** An id as db/ids.ts makes them: prefix, time part, 16 random digits. */
  const idSql = (/** @type {string} */ prefix, /** @type {string} */ timeColumn, /** @type {string[]} */ hashColumns) =>
    `'${prefix}_' || char(${[...timeDigits(timeColumn), ...randomDigits(hashColumns)].join(', ')})`;

  /** @type {[string, readonly string[]][]} */
  const words = [
    ['place', PLACES],
    ['road', ROADS],
    ['carrier', CARRIERS.map((c) => c[0])],
    ['carrier_code', CARRIERS.map((c) => c[1])],
    ['refund', REFUND_REASONS],
    ['note', BUYER_NOTES],
  ];
  /** One of a list of words, by a non-negative integer expression. @param {string} kind @param {string} index */
  const word = (kind, index) => {
    const count = words.find(([k]) => k === kind)?.[1].length ?? 1;
    return `(SELECT text FROM _seed_words WHERE kind = '${kind}' AND k = (${index}) % ${count})`;
  };
  /** One character of a string, by a non-negative integer expression. @param {string} text @param {string} index */
  const char = (text, index) => `substr('${text}', (${index}) % ${[...text].length} + 1, 1)`;

  /** @type {SeedStatement[]} */
  const out = [];
  let group = 'prepare';
  const add = (/** @type {string} */ step, /** @type {string} */ sql) => out.push({ group, step, sql: sql.trim() });

  for (const table of SCRATCH_TABLES) add('scratch tables', `DROP TABLE IF EXISTS ${table}`);
  add(
    'scratch tables',
    'CREATE TABLE _seed_sellers (k INTEGER PRIMARY KEY, id TEXT NOT NULL, level INTEGER NOT NULL, created_at INTEGER NOT NULL)',
  );
  // Sellers in the order they joined: an order of day d picks among the first sellers(d), who joined before it.
  add(
    'scratch tables',
    `INSERT INTO _seed_sellers (k, id, level, created_at)
     SELECT row_number() OVER (ORDER BY created_at, id) - 1, id, level, created_at FROM agents WHERE status = 'active'`,
  );
  add('scratch tables', 'CREATE INDEX _seed_sellers_created ON _seed_sellers (created_at)');
  add(
    'scratch tables',
    'CREATE TABLE _seed_products (k INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, retail_fen INTEGER NOT NULL)',
  );
  add(
    'scratch tables',
    `INSERT INTO _seed_products (k, id, retail_fen)
     SELECT row_number() OVER (ORDER BY created_at, id) - 1, id, retail_fen FROM products WHERE on_sale = 1`,
  );
  add(
    'scratch tables',
    'CREATE TABLE _seed_words (kind TEXT NOT NULL, k INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (kind, k))',
  );
  add(
    'scratch tables',
    `INSERT INTO _seed_words (kind, k, text) VALUES ${words
      .flatMap(([kind, list]) => list.map((text, k) => `('${kind}', ${k}, '${text.replaceAll("'", "''")}')`))
      .join(', ')}`,
  );
  add('scratch tables', 'CREATE TABLE _seed_mark (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)');

  // Days of the history, each with orders in proportion to its weight (the order counts add up exactly).
  add(
    'scratch tables',
    'CREATE TABLE _seed_days (d INTEGER PRIMARY KEY, start_at INTEGER NOT NULL, sellers INTEGER NOT NULL, first_i INTEGER NOT NULL, cnt INTEGER NOT NULL)',
  );
  add(
    'scratch tables',
    `INSERT INTO _seed_days (d, start_at, sellers, first_i, cnt)
     WITH RECURSIVE days(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM days WHERE d + 1 < ${spanDays}),
     w AS (SELECT d, ${start} + d * ${DAY} AS start_at,
             (SELECT count(*) FROM _seed_sellers WHERE created_at < ${start} + d * ${DAY}) AS sellers FROM days),
     c AS (SELECT d, start_at, sellers, sum(${weight}) OVER (ORDER BY d) AS cum FROM w),
     t AS (SELECT sum(${weight}) AS total FROM w)
     SELECT d, start_at, sellers, ${orderCount} * (cum - ${weight}) / total,
       ${orderCount} * cum / total - ${orderCount} * (cum - ${weight}) / total
     FROM c, t`,
  );
  add('scratch tables', 'CREATE TABLE _seed_n (j INTEGER PRIMARY KEY)');
  add(
    'scratch tables',
    `INSERT INTO _seed_n (j)
     WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n
       WHERE j + 1 < max(${maxLines + 1}, (SELECT max(cnt) FROM _seed_days)))
     SELECT j FROM n`,
  );
  add(
    'scratch tables',
    `CREATE TABLE _seed_plan (
       i INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, agent_id TEXT NOT NULL,
       agent_level INTEGER NOT NULL, method TEXT NOT NULL, status TEXT NOT NULL, paid INTEGER NOT NULL,
       refunded INTEGER NOT NULL, released INTEGER NOT NULL, created_at INTEGER NOT NULL, paid_at INTEGER,
       shipped_at INTEGER, completed_at INTEGER, closed_at INTEGER, release_at INTEGER, pay_txn TEXT,
       refund_txn TEXT, lines INTEGER NOT NULL, p0 INTEGER NOT NULL, step INTEGER NOT NULL, h INTEGER NOT NULL)`,
  );

  for (let from = 0; from < orderCount; from += chunkSize) {
    const to = Math.min(orderCount, from + chunkSize);
    const range = `p.i >= ${from} AND p.i < ${to}`;
    group = `orders ${from.toLocaleString('en')}–${to.toLocaleString('en')}`;

    // 1. The plan: who, when, what status, how many lines; one row per order. The stages are materialized: SQLite
    //    would otherwise inline each stage's expressions into the next and run out of memory.
    const hashes = Array.from({ length: 19 }, (_, k) => `${hash('i', k)} AS h${k}`).join(', ');
    const isRestock = `${unit('a.h2')} < ${restockShare}`;
    const paidAt = `a.created_at + ${MINUTE} + a.h4 % ${30 * MINUTE}`;
    const shippedAt = `${paidAt} + ${4 * HOUR} + a.h5 % ${44 * HOUR}`;
    const completedAt = `${shippedAt} + ${2 * DAY} + a.h6 % ${4 * DAY}`;
    add(
      'plan',
      `INSERT INTO _seed_plan (i, id, kind, agent_id, agent_level, method, status, paid, refunded, released,
         created_at, paid_at, shipped_at, completed_at, closed_at, release_at, pay_txn, refund_txn, lines, p0, step, h)
       WITH a AS MATERIALIZED (
         SELECT i, created_at, sellers, ${hashes}
         FROM (
           SELECT d.first_i + n.j AS i, d.start_at + ((2 * n.j + 1) * ${DAY}) / (2 * d.cnt) AS created_at,
             d.sellers AS sellers
           FROM _seed_days d
           JOIN _seed_n n ON n.j >= max(0, ${from} - d.first_i) AND n.j < min(d.cnt, ${to} - d.first_i)
           WHERE d.first_i < ${to} AND d.first_i + d.cnt > ${from}
         )
       ),
       v AS MATERIALIZED (
         SELECT a.i, a.created_at, a.h9, a.h10, a.h11, a.h12, a.h13, a.h14, a.h15, a.h16, a.h17, a.h18,
           sel.id AS agent_id, sel.level AS agent_level, ${unit('a.h3')} AS us,
           CASE WHEN ${isRestock} THEN 'restock' ELSE 'consumer' END AS kind,
           CASE WHEN ${isRestock}
             THEN CASE WHEN ${unit('a.h4')} < 0.5 THEN 'online' ELSE 'offline' END
             ELSE CASE WHEN ${unit('a.h4')} < 0.92 THEN 'online' ELSE 'offline' END
           END AS method,
           ${paidAt} AS paid_at,
           a.created_at + ${30 * MINUTE} + a.h7 % ${23 * HOUR} AS cancel_at,
           ${shippedAt} AS shipped_at,
           ${paidAt} + ${HOUR} + a.h7 % ${3 * DAY} AS refund_at,
           ${completedAt} AS completed_at,
           ${completedAt} + ${freezeDays * DAY} AS release_at,
           min(${maxLines}, CASE WHEN ${isRestock}
             THEN CASE WHEN ${unit('a.h8')} < 0.5 THEN 1 WHEN ${unit('a.h8')} < 0.8 THEN 2 ELSE 3 END
             ELSE CASE WHEN ${unit('a.h8')} < 0.8 THEN 1 WHEN ${unit('a.h8')} < 0.95 THEN 2 ELSE 3 END
           END) AS lines,
           CAST(${productCount} * ${unit('a.h0')} * ${unit('a.h0')} AS INTEGER) AS p0,
           1 + (a.h8 >> 8) % ${maxStep} AS step
         FROM a JOIN _seed_sellers sel ON sel.k = CAST(a.sellers * ${unit('a.h1')} * ${unit('a.h1')} AS INTEGER)
       ),
       t AS MATERIALIZED (
         SELECT v.*,
           CASE
             WHEN us < 0.06 OR (kind = 'restock' AND us < 0.07) THEN
               CASE WHEN cancel_at > ${now} THEN 'pending_payment' WHEN us < 0.06 THEN 'cancelled' ELSE 'refused' END
             WHEN ${now} - created_at < ${DAY} AND us < 0.35 THEN 'pending_payment'
             WHEN paid_at > ${now} THEN 'pending_payment'
             WHEN us >= 0.96 AND refund_at <= ${now} THEN 'refunded'
             WHEN kind = 'restock' AND us >= 0.94 AND refund_at <= ${now} THEN 'refused'
             WHEN shipped_at > ${now} THEN 'paid'
             WHEN completed_at > ${now} THEN 'shipped'
             ELSE 'completed'
           END AS status
         FROM v
       ),
       f AS MATERIALIZED (
         SELECT t.*, status IN ('paid', 'shipped', 'completed', 'refunded') OR (status = 'refused' AND us >= 0.07) AS paid,
           status = 'refunded' OR (status = 'refused' AND us >= 0.07) AS refunded,
           status = 'completed' AND release_at <= ${now} AS released
         FROM t
       )
       SELECT i, ${idSql('ord', 'created_at', ['h10', 'h11', 'h12'])}, kind, agent_id, agent_level,
         method, status, paid, refunded, released, created_at,
         CASE WHEN paid = 1 THEN paid_at END,
         CASE WHEN status IN ('shipped', 'completed') THEN shipped_at END,
         CASE WHEN status = 'completed' THEN completed_at END,
         CASE WHEN status IN ('cancelled', 'refused') AND paid = 0 THEN cancel_at WHEN refunded = 1 THEN refund_at END,
         CASE WHEN status = 'completed' THEN release_at END,
         CASE WHEN paid = 1 THEN ${idSql('txn', 'paid_at', ['h13', 'h14', 'h15'])} END,
         CASE WHEN refunded = 1 THEN ${idSql('txn', 'refund_at', ['h16', 'h17', 'h18'])} END,
         lines, p0, step, h9
       FROM f
       ORDER BY i`,
    );

    // 2. Lines: distinct products (popular ones more often), at retail (consumer) or the buyer's level price.
    add(
      'order_lines',
      `INSERT INTO order_lines (order_id, product_id, qty, unit_fen, refunded_qty)
       SELECT order_id, product_id, qty, unit_fen, CASE WHEN refunded = 1 THEN qty ELSE 0 END
       FROM (
         SELECT x.order_id, x.product_id, x.refunded, x.unit_fen,
           CASE WHEN x.kind = 'consumer'
             THEN CASE WHEN ${unit('x.h')} < 0.75 THEN 1 WHEN ${unit('x.h')} < 0.93 THEN 2 ELSE 3 END
             ELSE 10 * (1 + x.h % 10)
           END AS qty
         FROM (
           SELECT p.id AS order_id, pr.id AS product_id, p.refunded, p.kind,
             CASE WHEN p.kind = 'consumer' THEN pr.retail_fen ELSE pp.price_fen END AS unit_fen,
             ${hash('p.i * 4 + q.j', 20)} AS h
           FROM _seed_plan p
           JOIN _seed_n q ON q.j < p.lines
           JOIN _seed_products pr ON pr.k = (p.p0 + q.j * p.step) % ${productCount}
           JOIN product_prices pp ON pp.product_id = pr.id AND pp.level = p.agent_level
           WHERE ${range}
         ) x
       )
       ORDER BY order_id, product_id`,
    );

    // 3. Orders, with their amounts from the lines.
    add(
      'orders',
      `INSERT INTO orders (id, kind, stock_model, agent_id, payee_id, stock_owner_id, member_id, payment_method, status,
         amount_fen, refunded_fen, ship_name, ship_phone, ship_address, carrier, tracking_no, note, created_at, paid_at,
         shipped_at, completed_at, closed_at)
       WITH p AS MATERIALIZED (
         SELECT p.*, (SELECT sum(l.qty * l.unit_fen) FROM order_lines l WHERE l.order_id = p.id) AS amount
         FROM _seed_plan p WHERE ${range}
       )
       SELECT p.id, p.kind, 'direct', p.agent_id, 'brand', 'brand', NULL, p.method, p.status, amount,
         CASE WHEN p.refunded = 1 THEN amount ELSE 0 END,
         CASE WHEN p.kind = 'consumer' THEN ${char(SURNAMES, 'p.h')} || ${char(GIVEN, 'p.h >> 6')} ||
           CASE WHEN p.h % 10 < 7 THEN ${char(GIVEN, 'p.h >> 12')} ELSE '' END END,
         CASE WHEN p.kind = 'consumer' THEN '1' || substr('3456789', p.h % 7 + 1, 1) || printf('%09d', (p.h * 7919) % 1000000000) END,
         CASE WHEN p.kind = 'consumer' THEN ${word('place', 'p.h >> 3')} || ${word('road', 'p.h >> 9')} ||
           (1 + (p.h >> 4) % 300) || '号' || CASE WHEN p.h % 3 = 0 THEN (1 + (p.h >> 7) % 30) || '栋' || (101 + (p.h >> 11) % 2800) || '室' ELSE '' END END,
         CASE WHEN p.shipped_at IS NOT NULL THEN ${word('carrier', 'p.h >> 5')} END,
         CASE WHEN p.shipped_at IS NOT NULL THEN ${word('carrier_code', 'p.h >> 5')} || printf('%012d', (p.h * 104729 + p.i) % 1000000000000) END,
         CASE WHEN p.status = 'refused' AND p.paid = 0 THEN '${REFUSE_REASON}'
              WHEN p.kind = 'consumer' AND p.h % 100 < 3 THEN ${word('note', 'p.h >> 2')} END,
         p.created_at, p.paid_at, p.shipped_at, p.completed_at, p.closed_at
       FROM p
       ORDER BY p.i`,
    );

    // 4. Settlement rows: seller (consumer orders), the active agents above, and the brand (level 0, price 0), each
    //    selling at the price of the one below it. CROSS JOIN fixes the join order: without statistics SQLite would
    //    rather scan every agent of a level than follow team_members.
    const lineOf = `_seed_plan p JOIN order_lines l ON l.order_id = p.id`;
    add(
      'order_shares',
      `INSERT INTO order_shares (order_id, product_id, party_id, level, buy_unit_fen, sell_unit_fen, qty, amount_fen,
         status, refunded_qty, release_at)
       SELECT order_id, product_id, party_id, level, price, sell, qty, (sell - price) * qty,
         CASE status WHEN 'pending_payment' THEN 'planned' WHEN 'cancelled' THEN 'void'
           WHEN 'refused' THEN CASE WHEN paid = 1 THEN 'pending' ELSE 'void' END
           WHEN 'completed' THEN CASE WHEN released = 1 THEN 'available' ELSE 'pending' END
           ELSE 'pending' END,
         CASE WHEN refunded = 1 THEN qty ELSE 0 END, release_at
       FROM (
         SELECT c.*, coalesce(lag(price) OVER (PARTITION BY order_id, product_id ORDER BY level DESC), unit_fen) AS sell
         FROM (
           SELECT p.id AS order_id, l.product_id, l.qty, l.unit_fen, p.agent_id AS party_id, p.agent_level AS level,
             pp.price_fen AS price, p.status, p.paid, p.refunded, p.released, p.release_at
           FROM ${lineOf} JOIN product_prices pp ON pp.product_id = l.product_id AND pp.level = p.agent_level
           WHERE ${range} AND p.kind = 'consumer'
           UNION ALL
           SELECT p.id, l.product_id, l.qty, l.unit_fen, a.id, a.level, pp.price_fen, p.status, p.paid, p.refunded,
             p.released, p.release_at
           FROM _seed_plan p CROSS JOIN order_lines l ON l.order_id = p.id
             CROSS JOIN team_members t ON t.member_id = p.agent_id
             CROSS JOIN agents a ON a.id = t.ancestor_id AND a.status = 'active'
             CROSS JOIN product_prices pp ON pp.product_id = l.product_id AND pp.level = a.level
           WHERE ${range}
           UNION ALL
           SELECT p.id, l.product_id, l.qty, l.unit_fen, 'brand', 0, 0, p.status, p.paid, p.refunded, p.released,
             p.release_at
           FROM ${lineOf}
           WHERE ${range}
         ) c
       )
       WHERE party_id = 'brand' OR sell > price`,
    );

    // 5. The ledger: one payment transaction per paid order (the payer's entry, then one per party: the brand's
    //    revenue and each agent's wallet account, as worker/domain/holds.ts books it), no release entries (the
    //    release only flips the shares and the held counters), one refund transaction per refunded order.
    add(
      'ledger (payments)',
      'INSERT OR REPLACE INTO _seed_mark (k, v) VALUES (1, (SELECT coalesce(max(id), 0) FROM ledger_entries))',
    );
    const shareAccount = `CASE s.party_id WHEN 'brand' THEN 'brand:revenue' ELSE 'agent:' || s.party_id || ':available' END`;
    const payer = `CASE p.method WHEN 'online' THEN 'external:gateway' ELSE 'external:offline' END`;
    add(
      'ledger (payments)',
      `INSERT INTO ledger_entries (txn_id, account, amount_fen, kind, order_id, memo, at)
       SELECT txn, account, amount, 'payment', order_id, NULL, at FROM (
         SELECT p.i, 0 AS seq, p.pay_txn AS txn, ${payer} AS account, -ord.amount_fen AS amount, p.id AS order_id,
           p.paid_at AS at
         FROM _seed_plan p CROSS JOIN orders ord ON ord.id = p.id
         WHERE ${range} AND p.paid = 1
         UNION ALL
         SELECT p.i, 1 + min(s.level), p.pay_txn, ${shareAccount}, sum(s.amount_fen), p.id, p.paid_at
         FROM _seed_plan p CROSS JOIN order_shares s ON s.order_id = p.id
         WHERE ${range} AND p.paid = 1
         GROUP BY p.i, s.party_id
         HAVING sum(s.amount_fen) <> 0
       )
       ORDER BY i, seq`,
    );
    const sink = `CASE p.method WHEN 'online' THEN 'external:gateway' ELSE 'external:offline' END`;
    const memo = `CASE WHEN p.status = 'refused' THEN '${REFUSE_REASON}' ELSE ${word('refund', 'p.h >> 4')} END`;
    add(
      'ledger (refunds)',
      `INSERT INTO ledger_entries (txn_id, account, amount_fen, kind, order_id, memo, at)
       SELECT txn, account, amount, 'refund', order_id, memo, at FROM (
         SELECT p.i, 1 + min(s.level) AS seq, p.refund_txn AS txn, ${shareAccount} AS account,
           -sum(s.amount_fen) AS amount, p.id AS order_id, ${memo} AS memo, p.closed_at AS at
         FROM _seed_plan p CROSS JOIN order_shares s ON s.order_id = p.id
         WHERE ${range} AND p.refunded = 1
         GROUP BY p.i, s.party_id
         HAVING sum(s.amount_fen) <> 0
         UNION ALL
         SELECT p.i, ${2 ** 53 - 1}, p.refund_txn, ${sink}, ord.amount_fen, p.id, ${memo}, p.closed_at
         FROM _seed_plan p CROSS JOIN orders ord ON ord.id = p.id
         WHERE ${range} AND p.refunded = 1
       )
       ORDER BY i, seq`,
    );
    // What each agent's held shares still hold (the counter the payment, refunds and release keep).
    add(
      'held_shares',
      `INSERT INTO held_shares (agent_id, held_fen)
       SELECT s.party_id, sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen))
       FROM _seed_plan p CROSS JOIN order_shares s ON s.order_id = p.id
       WHERE ${range} AND s.status = 'pending' AND s.party_id <> 'brand'
       GROUP BY s.party_id
       HAVING sum(s.amount_fen - s.refunded_qty * (s.sell_unit_fen - s.buy_unit_fen)) > 0
       ON CONFLICT (agent_id) DO UPDATE SET held_fen = held_fen + excluded.held_fen`,
    );
    add(
      'balances',
      `INSERT INTO balances (account, balance_fen)
       SELECT account, sum(amount_fen) FROM ledger_entries
       WHERE id > (SELECT v FROM _seed_mark WHERE k = 1) AND account <> 'brand:clearing'
       GROUP BY account
       ON CONFLICT (account) DO UPDATE SET balance_fen = balance_fen + excluded.balance_fen`,
    );
  }
  group = 'finish';
  for (const table of SCRATCH_TABLES) add('drop scratch tables', `DROP TABLE IF EXISTS ${table}`);
  return out;
}
