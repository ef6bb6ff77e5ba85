/** The words of the 待发货 list (ShipList, ShipRow), zh-CN and English. */
export const shipText = {
  zh: {
    shipTitle: '待发货订单',
    shipLead: '填写快递公司和快递单号后发货；勾选多单可一键发货。云仓进货单无需快递，发货后货品直接转入对方云仓。',
    noShip: '暂无待发货订单。',
    selectAll: '全选',
    select: '选择此订单',
    selected: (n: number) => `已选 ${n} 单`,
    shipAll: '一键发货',
    carrier: '快递公司',
    trackingNo: '快递单号',
    cloud: '云仓进货：发货后货品直接转入对方云仓。',
    confirmCloud: (number: string, product: string) =>
      `确认交付进货单 ${number}${product ? `（${product}）` : ''}？货品立即从您的云仓转入对方云仓，订单完成，不能撤回。`,
    confirmCloudMany: (n: number) =>
      `所选订单中有 ${n} 张云仓进货单：货品会立即从您的云仓转入对方云仓，不能撤回。确认发货？`,
    receiver: (name: string) => `收货人 ${name}`,
    ship: '发货',
    refuse: '拒绝',
    busy: '处理中…',
    needCarrier: '请填写快递公司',
    needTracking: '请填写快递单号',
    badTracking: '快递单号为 4–40 位字母、数字或减号',
    pickSome: '请先勾选要发货的订单',
    fixRows: '请先补全所选订单的快递信息',
    shipped: '已发货。',
    shippedMany: (ok: number, failed: number) =>
      `已发货 ${ok} 单${failed ? `，${failed} 单失败，请查看订单下的提示` : ''}。`,
    refused: '已拒绝该订单。',
    buyer: (name: string) => `买方 ${name}`,
    batchErrors: {
      INVALID_STATE: '订单状态已变化，请刷新后查看',
      FORBIDDEN: '无权发货',
      NOT_FOUND: '订单不存在',
      VALIDATION_FAILED: '快递信息有误',
    } as Record<string, string>,
  },
  en: {
    shipTitle: 'Orders to ship',
    shipLead:
      'Enter the carrier and tracking number, then ship; tick several to ship them at once. A cloud restock needs no carrier: shipping moves the units into the buyer’s cloud stock.',
    noShip: 'Nothing to ship.',
    selectAll: 'Select all',
    select: 'Select this order',
    selected: (n: number) => `${n} selected`,
    shipAll: 'Ship selected',
    carrier: 'Carrier',
    trackingNo: 'Tracking number',
    cloud: 'Cloud restock: shipping moves the units into the buyer’s cloud stock.',
    confirmCloud: (number: string, product: string) =>
      `Deliver restock ${number}${product ? ` (${product})` : ''}? The units leave your cloud stock for the buyer’s at once; this cannot be undone.`,
    confirmCloudMany: (n: number) =>
      `${n} of the selected orders are cloud restocks: their units leave your cloud stock at once and cannot be taken back. Ship?`,
    receiver: (name: string) => `To ${name}`,
    ship: 'Ship',
    refuse: 'Refuse',
    busy: 'Working…',
    needCarrier: 'Enter the carrier',
    needTracking: 'Enter the tracking number',
    badTracking: 'A tracking number has 4–40 letters, digits or dashes',
    pickSome: 'Tick the orders to ship first',
    fixRows: 'Complete the tracking of the ticked orders first',
    shipped: 'Shipped.',
    shippedMany: (ok: number, failed: number) =>
      `${ok} shipped${failed ? `, ${failed} failed: see the message under each` : ''}.`,
    refused: 'The order is refused.',
    buyer: (name: string) => `Buyer ${name}`,
    batchErrors: {
      INVALID_STATE: 'The order changed; reload to see it',
      FORBIDDEN: 'You may not ship it',
      NOT_FOUND: 'Order not found',
      VALIDATION_FAILED: 'Check the tracking',
    } as Record<string, string>,
  },
};

export type ShipText = (typeof shipText)['zh'];
