// The words error messages are made of: the things a NOT_FOUND names, and the reasons an incentive rule is refused.

/** What a NOT_FOUND names (its `what` parameter). */
export const nouns: Record<string, { zh: string; en: string }> = {
  agent: { zh: '代理', en: 'Agent' },
  application: { zh: '申请', en: 'Application' },
  level: { zh: '等级', en: 'Level' },
  member: { zh: '会员', en: 'Member' },
  address: { zh: '收货地址', en: 'Address' },
  customer: { zh: '客户', en: 'Customer' },
  material: { zh: '素材', en: 'Material' },
  certificate: { zh: '授权书', en: 'Certificate' },
  product: { zh: '商品', en: 'Product' },
  shop: { zh: '店铺', en: 'Shop' },
  order: { zh: '订单', en: 'Order' },
  archiveMonth: { zh: '归档月份', en: 'Archived month' },
  afterSale: { zh: '售后申请', en: 'After-sales request' },
  withdrawal: { zh: '提现申请', en: 'Withdrawal' },
  difference: { zh: '对账差异', en: 'Reconciliation difference' },
  batch: { zh: '防伪码批次', en: 'Code batch' },
  inspection: { zh: '稽查记录', en: 'Inspection case' },
  account: { zh: '账号', en: 'Account' },
  sms: { zh: '短信', en: 'Text message' },
  team: { zh: '团队', en: 'Team' },
  gift: { zh: '礼品', en: 'Gift' },
  upload: { zh: '图片', en: 'Picture' },
};

// Why an incentive configuration is refused, by the rule it breaks (worker/domain/incentiveRules.ts).
export const incentiveRules: Record<string, { zh: string; en: string }> = {
  reward_on_recruitment: {
    zh: '奖励只能在被推荐人进货（购买）时发放，不能因招募本身发放（反传销合规）',
    en: 'Rewards are paid only on a recruit’s purchase, never for the recruitment itself (anti-pyramid-selling rule)',
  },
  depth_beyond_three: {
    zh: '推荐奖最多计算三级，不能超过三级（反传销合规）',
    en: 'Referral rewards reach at most 3 levels deep (anti-pyramid-selling rule)',
  },
  rewards_exceed_purchase: {
    zh: '同一笔进货的比例奖励合计不能超过进货金额的 100%',
    en: 'Percentage rewards on one purchase may not add up to more than 100% of it',
  },
  reward_without_amount: { zh: '奖励金额或门槛必须大于 0', en: 'A reward amount or threshold must be above 0' },
  same_level_depth: {
    zh: '平级推荐奖和阶梯奖励只发给直接推荐人（第 1 级）',
    en: 'Same-level and tiered rewards go to the direct referrer only (depth 1)',
  },
  tier_without_recruits: {
    zh: '阶梯奖励的达标人数至少为 1',
    en: 'A tiered reward needs at least 1 qualified recruit',
  },
  duplicate_rule: { zh: '同一条规则重复配置', en: 'The same rule is configured twice' },
  unknown_level: { zh: '升级目标等级不存在', en: 'The upgrade’s target level does not exist' },
  refer_count: { zh: '推N升一的人数 N 至少为 1', en: 'N of “refer N, rise one” must be at least 1' },
};

// How a validation message names the field it is about: people read 手机号, never the key `phone`. A key not listed
// here is left out of the message (the `field` of the answer still names it for the form).
export const fieldLabels: Record<string, { zh: string; en: string }> = {
  phone: { zh: '手机号', en: 'Phone' },
  name: { zh: '姓名', en: 'Name' },
  wechat: { zh: '微信号', en: 'WeChat ID' },
  password: { zh: '密码', en: 'Password' },
  region: { zh: '地区', en: 'Region' },
  address: { zh: '地址', en: 'Address' },
  amountFen: { zh: '金额', en: 'Amount' },
  fineFen: { zh: '罚款金额', en: 'Fine' },
  retailFen: { zh: '零售价', en: 'Retail price' },
  priceFen: { zh: '价格', en: 'Price' },
  thresholdFen: { zh: '金额门槛', en: 'Threshold' },
  withdrawMinFen: { zh: '最低提现金额', en: 'Minimum withdrawal' },
  reason: { zh: '原因', en: 'Reason' },
  note: { zh: '备注', en: 'Note' },
  level: { zh: '等级', en: 'Level' },
  qty: { zh: '数量', en: 'Quantity' },
  lines: { zh: '商品', en: 'Products' },
  carrier: { zh: '快递公司', en: 'Carrier' },
  trackingNo: { zh: '快递单号', en: 'Tracking number' },
  reference: { zh: '打款凭证', en: 'Reference' },
  code: { zh: '验证码', en: 'Code' },
  account: { zh: '账号', en: 'Account' },
  bank: { zh: '开户行', en: 'Bank' },
  number: { zh: '编号', en: 'Number' },
  q: { zh: '搜索内容', en: 'Search' },
  url: { zh: '链接', en: 'Link' },
  category: { zh: '分类', en: 'Category' },
  images: { zh: '图片', en: 'Pictures' },
  sku: { zh: '商品编码', en: 'SKU' },
  sealText: { zh: '印章文字', en: 'Seal text' },
  freezeDays: { zh: '冻结天数', en: 'Freeze days' },
  rebindDays: { zh: '换绑天数', en: 'Re-binding days' },
  paymentMethod: { zh: '付款方式', en: 'Payment method' },
  stockModel: { zh: '库存模式', en: 'Stock model' },
  productId: { zh: '商品', en: 'Product' },
  agentId: { zh: '代理', en: 'Agent' },
  orderId: { zh: '订单', en: 'Order' },
  size: { zh: '数量', en: 'Size' },
  title: { zh: '标题', en: 'Title' },
  body: { zh: '正文', en: 'Text' },
};

/** The payout account kinds, as a PAYOUT_KIND_NOT_ACCEPTED names them. */
export const payoutKindNames: Record<string, { zh: string; en: string }> = {
  wechat: { zh: '微信', en: 'WeChat' },
  alipay: { zh: '支付宝', en: 'Alipay' },
  bank: { zh: '银行卡', en: 'bank card' },
};
