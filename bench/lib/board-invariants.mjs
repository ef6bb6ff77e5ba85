// The leaderboard and dashboard counters (migration 0014's triggers keep them in each write's own statement) recounted
// from orders, agents and members: each query answers the first rows where a counter and its recount differ.
// checkDatabase (invariants.mjs) reads them in its one batch and reports each non-empty answer.

const month = (col) => `strftime('%Y-%m', ${col} / 1000 + 28800, 'unixepoch')`;
const day = (col) => `strftime('%Y-%m-%d', ${col} / 1000 + 28800, 'unixepoch')`;

// Rows (period, key, value) of `actual` and `stored` that differ, a missing row counting as 0.
/** @param {string} actual @param {string} stored */
const recount = (actual, stored) => `
WITH actual AS (${actual}), stored AS (${stored})
SELECT a.p, a.k, a.v AS actual, coalesce(s.v, 0) AS stored FROM actual a LEFT JOIN stored s ON s.p = a.p AND s.k = a.k
  WHERE coalesce(s.v, 0) <> a.v
UNION ALL
SELECT s.p, s.k, 0, s.v FROM stored s LEFT JOIN actual a ON a.p = s.p AND a.k = s.k WHERE a.k IS NULL AND s.v <> 0
LIMIT 3`;

const NET = 'o.amount_fen - o.refunded_fen';
const FACTS = 'sale_facts f JOIN orders o ON o.id = f.order_id';

export const boardQueries = {
  // A paid sale (consumer or restock) is counted once, under its own agent and the month it was paid.
  boardFacts: `SELECT o.id, f.agent_id AS counted FROM orders o LEFT JOIN sale_facts f ON f.order_id = o.id
    WHERE (o.paid_at IS NOT NULL AND o.kind <> 'pickup') <> (f.order_id IS NOT NULL)
      OR f.agent_id <> o.agent_id OR f.month <> ${month('o.paid_at')} OR f.day <> ${day('o.paid_at')} LIMIT 3`,
  boardAgentSales: recount(
    `SELECT f.month AS p, f.agent_id AS k, sum(${NET}) AS v FROM ${FACTS} GROUP BY f.month, f.agent_id`,
    "SELECT month AS p, agent_id AS k, value AS v FROM board_agents WHERE metric = 'sales'",
  ),
  boardTeamSales: recount(
    `SELECT f.month AS p, f.team_id AS k, sum(${NET}) AS v FROM ${FACTS} GROUP BY f.month, f.team_id`,
    "SELECT month AS p, team_id AS k, value AS v FROM board_teams WHERE metric = 'sales'",
  ),
  // An agent's row of an agent-side counter carries the team it was counted under, which is its sale's.
  boardAgentTeams: `SELECT b.month, b.agent_id AS agent, b.team_id AS team FROM board_agents b
    WHERE b.metric = 'sales' AND NOT EXISTS (SELECT 1 FROM sale_facts f WHERE f.month = b.month
      AND f.agent_id = b.agent_id AND f.team_id = b.team_id) LIMIT 3`,
  boardRecruits: recount(
    `SELECT ${month('created_at')} AS p, referrer_id AS k, count(*) AS v FROM agents WHERE referrer_id IS NOT NULL
      GROUP BY p, referrer_id`,
    "SELECT month AS p, agent_id AS k, value AS v FROM board_agents WHERE metric = 'agents'",
  ),
  // New agents per month over all teams (an agent counts for the team it joined; upgrades move teams later).
  boardTeamRecruits: recount(
    `SELECT ${month('created_at')} AS p, 'all' AS k, count(*) AS v FROM agents GROUP BY p`,
    "SELECT month AS p, 'all' AS k, sum(value) AS v FROM board_teams WHERE metric = 'agents' GROUP BY month",
  ),
  // New members: counted for the agent they were bound to when they signed up. A binding the brand moved later
  // cannot be traced back, so per agent the counter is at least its members still bound as they signed up, and
  // teams and agents agree per month.
  boardMembers: `SELECT m.p, m.k, m.v AS unchanged, coalesce(b.value, 0) AS stored FROM (
      SELECT ${month('created_at')} AS p, bound_agent_id AS k, count(*) AS v FROM members
      WHERE bound_agent_id IS NOT NULL AND bound_at = created_at GROUP BY p, bound_agent_id) m
    LEFT JOIN board_agents b ON b.month = m.p AND b.metric = 'members' AND b.agent_id = m.k
    WHERE coalesce(b.value, 0) < m.v LIMIT 3`,
  boardTeamMembers: recount(
    "SELECT month AS p, 'all' AS k, sum(value) AS v FROM board_agents WHERE metric = 'members' GROUP BY month",
    "SELECT month AS p, 'all' AS k, sum(value) AS v FROM board_teams WHERE metric = 'members' GROUP BY month",
  ),
  boardDailyOrders: recount(
    `SELECT f.day AS p, 'orders' AS k, count(*) AS v FROM ${FACTS} GROUP BY f.day
     UNION ALL SELECT f.day, 'sales', sum(${NET}) FROM ${FACTS} GROUP BY f.day
     UNION ALL SELECT ${day('created_at')}, 'agents', count(*) FROM agents GROUP BY 1
     UNION ALL SELECT ${day('created_at')}, 'members', count(*) FROM members GROUP BY 1`,
    `SELECT day AS p, 'orders' AS k, orders AS v FROM daily_stats UNION ALL SELECT day, 'sales', sales_fen FROM daily_stats
     UNION ALL SELECT day, 'agents', new_agents FROM daily_stats UNION ALL SELECT day, 'members', new_members FROM daily_stats`,
  ),
  boardBreakdown: recount(
    `SELECT f.month AS p, 'level:' || f.level AS k, sum(${NET}) AS v FROM ${FACTS} GROUP BY f.month, f.level
     UNION ALL SELECT f.month, 'province:' || f.province, sum(${NET}) FROM ${FACTS} GROUP BY f.month, f.province
     UNION ALL SELECT f.month, 'product:' || l.product_id, sum((l.qty - l.refunded_qty) * l.unit_fen)
       FROM sale_facts f JOIN order_lines l ON l.order_id = f.order_id GROUP BY f.month, l.product_id
     UNION ALL SELECT f.month, 'units:' || l.product_id, sum(l.qty - l.refunded_qty)
       FROM sale_facts f JOIN order_lines l ON l.order_id = f.order_id GROUP BY f.month, l.product_id`,
    `SELECT month AS p, dim || ':' || key AS k, sales_fen AS v FROM month_breakdown
     UNION ALL SELECT month, 'units:' || key, units FROM month_breakdown WHERE dim = 'product'`,
  ),
  // Consumers with a paid order not wholly refunded, and the buyer and repeat-buyer totals over them.
  boardBuyers: recount(
    `SELECT 'n' AS p, f.consumer AS k, count(*) AS v FROM ${FACTS}
      WHERE f.consumer IS NOT NULL AND o.status NOT IN ('refunded', 'refused') GROUP BY f.consumer
     UNION ALL SELECT 'totals', 'buyers', count(*) FROM (SELECT f.consumer FROM ${FACTS}
      WHERE f.consumer IS NOT NULL AND o.status NOT IN ('refunded', 'refused') GROUP BY f.consumer)
     UNION ALL SELECT 'totals', 'repeaters', count(*) FROM (SELECT f.consumer FROM ${FACTS}
      WHERE f.consumer IS NOT NULL AND o.status NOT IN ('refunded', 'refused') GROUP BY f.consumer HAVING count(*) >= 2)`,
    `SELECT 'n' AS p, consumer AS k, n AS v FROM consumer_orders
     UNION ALL SELECT 'totals', 'buyers', buyers FROM buyer_totals UNION ALL SELECT 'totals', 'repeaters', repeaters FROM buyer_totals`,
  ),
  // Each live agent's team is the agent at the top of its supply chain (the one the brand supplies).
  boardTeamOf: `SELECT a.id, t.team_id AS team FROM agents a LEFT JOIN agent_teams t ON t.agent_id = a.id
    WHERE a.status <> 'revoked' AND t.team_id IS NOT CASE WHEN a.supplier_id IS NULL THEN a.id ELSE
      (SELECT tm.ancestor_id FROM team_members tm JOIN agents h ON h.id = tm.ancestor_id
        WHERE tm.member_id = a.id AND h.supplier_id IS NULL LIMIT 1) END LIMIT 3`,
};

/** @param {Record<string, Record<string, unknown>[]>} r @param {(name: string, detail: unknown) => void} add */
export function boardProblems(r, add) {
  for (const key of Object.keys(boardQueries)) {
    const rows = r[key] ?? [];
    if (rows.length > 0)
      add(
        `board-${key
          .replace(/^board/, '')
          .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
          .slice(1)}`,
        rows,
      );
  }
}
