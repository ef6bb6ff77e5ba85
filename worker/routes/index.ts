import { createRouter } from '../http';
import { agentPhotoRoutes } from './agentPhoto';
import { agentRoutes } from './agents';
import { applicationRoutes } from './applications';
import { archiveRoutes } from './archive';
import { auditRoutes } from './audit';
import { auth } from './auth';
import { benchFloorRoutes } from './benchFloor';
import { boardRoutes } from './board';
import { dashboardRoutes } from './board/dashboard';
import { brandRoutes } from './brand';
import { brandSetupRoutes } from './brandSetup';
import { certificateRoutes } from './certificates';
import { codeRoutes } from './codes';
import { consoleCountRoutes } from './consoleCounts';
import { customerRoutes } from './customers';
import { docs } from './docs';
import { exportRoutes } from './exports';
import { giftRoutes } from './gifts';
import { health } from './health';
import { incentiveRoutes } from './incentives';
import { inspectionRoutes } from './inspections';
import { jobRoutes } from './jobs';
import { materialRoutes } from './materials';
import { memberAddressRoutes } from './memberAddresses';
import { memberBindingRoutes } from './memberBinding';
import { memberRoutes } from './members';
import { memberViewRoutes } from './memberView';
import { noticeRoutes } from './notices';
import { orderRoutes } from './orders';
import { passwordResetRoutes } from './passwordReset';
import { payNoteRoutes } from './payNote';
import { payoutAccountRoutes } from './payoutAccount';
import { payoutRoutes } from './payouts';
import { payQrRoutes } from './payQr';
import { productRoutes } from './products';
import { progressRoutes } from './progress';
import { reconciliationRoutes } from './reconciliation';
import { reportRoutes } from './reports';
import { shopProductRoutes } from './shopProducts';
import { smsRoutes } from './sms';
import { statementRoutes } from './statement';
import { stockRoutes } from './stock';
import { teamRoutes } from './team';
import { uploadRoutes } from './uploads';
import { verifyRoutes } from './verify';
import { walletRoutes } from './wallet';
import { wechatRoutes } from './wechat';
import { wechatOauthRoutes } from './wechatOauth';
import { withdrawalRoutes } from './withdrawals';

// One router per resource, all under /api, in this order. Mounted one by one rather than in one chained expression:
// the chain made the type checker build a type of every route's schema (several seconds of `tsc`), which nothing
// reads (the OpenAPI document comes from the routes themselves).
export const routes = createRouter().basePath('/api');
for (const router of [
  health,
  auth,
  passwordResetRoutes,
  smsRoutes,
  brandRoutes,
  brandSetupRoutes,
  jobRoutes,
  applicationRoutes,
  teamRoutes,
  payNoteRoutes,
  payQrRoutes,
  agentPhotoRoutes,
  agentRoutes,
  certificateRoutes,
  memberRoutes,
  memberAddressRoutes,
  memberBindingRoutes,
  // After memberRoutes, so /members/me is not read as an id.
  memberViewRoutes,
  customerRoutes,
  materialRoutes,
  orderRoutes,
  productRoutes,
  shopProductRoutes,
  stockRoutes,
  walletRoutes,
  statementRoutes,
  withdrawalRoutes,
  payoutRoutes,
  payoutAccountRoutes,
  reconciliationRoutes,
  exportRoutes,
  archiveRoutes,
  auditRoutes,
  codeRoutes,
  verifyRoutes,
  inspectionRoutes,
  reportRoutes,
  uploadRoutes,
  boardRoutes,
  dashboardRoutes,
  noticeRoutes,
  consoleCountRoutes,
  incentiveRoutes,
  progressRoutes,
  giftRoutes,
  wechatRoutes,
  wechatOauthRoutes,
  benchFloorRoutes,
  docs,
]) {
  routes.route('/', router);
}
