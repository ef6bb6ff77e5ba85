/** The carriers offered when shipping, one list for the agent console and the brand's admin. */
export const CARRIERS = [
  '顺丰速运',
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '京东物流',
  '极兔速递',
  'EMS',
  '邮政快递包裹',
];
