export function importPem(pem: string, format: 'spki' | 'pkcs8', use: 'sign' | 'verify'): Promise<CryptoKey>;

export interface FakeTrade {
  outTradeNo: string;
  total: number;
  state: string;
  prepayId: string;
  codeUrl: string;
  channel: string;
  openid?: string;
  transactionId?: string;
  notifyUrl?: string;
  paidAt?: number;
}

export interface FakeRefund {
  outRefundNo: string;
  outTradeNo: string;
  refund: number;
  total: number;
  status: string;
}

export interface FakeWechatPay {
  handle(request: Request): Promise<Response>;
  trades: Map<string, FakeTrade>;
  refunds: Map<string, FakeRefund>;
  calls: { method: string; path: string; status: number }[];
  counts: { refundRequests: number; refundsCreated: number; notifications: number };
  failNext(prefix: string, count?: number, status?: number): void;
  loseNext(prefix: string, count?: number): void;
  clearScripts(): void;
  pay(key: string, opts?: { notify?: boolean }): Promise<number>;
  settleRefund(outRefundNo: string, status?: string, opts?: { notify?: boolean }): Promise<number>;
}

export function createFakeWechatPay(options: {
  mchId: string;
  appId: string;
  apiV3Key: string;
  platformSerial: string;
  merchantSerial: string;
  platformPrivateKey: CryptoKey;
  merchantPublicKey: CryptoKey;
  deliver?: (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<Response>;
}): FakeWechatPay;
