import { createRouter } from '../http';
import { agentRoutes } from './agents';
import { applicationRoutes } from './applications';
import { auditRoutes } from './audit';
import { auth } from './auth';
import { benchFloorRoutes } from './benchFloor';
import { brandRoutes } from './brand';
import { brandSetupRoutes } from './brandSetup';
import { certificateRoutes } from './certificates';
import { codeRoutes } from './codes';
import { customerRoutes } from './customers';
import { docs } from './docs';
import { exportRoutes } from './exports';
import { health } from './health';
import { inspectionRoutes } from './inspections';
import { jobRoutes } from './jobs';
import { materialRoutes } from './materials';
import { memberBindingRoutes } from './memberBinding';
import { memberRoutes } from './members';
import { memberViewRoutes } from './memberView';
import { noticeRoutes } from './notices';
import { orderRoutes } from './orders';
import { passwordResetRoutes } from './passwordReset';
import { payoutRoutes } from './payout';
import { productRoutes } from './products';
import { reportRoutes } from './reports';
import { shopProductRoutes } from './shopProducts';
import { smsRoutes } from './sms';
import { stockRoutes } from './stock';
import { teamRoutes } from './team';
import { verifyRoutes } from './verify';
import { walletRoutes } from './wallet';
import { wechatRoutes } from './wechat';
import { withdrawalRoutes } from './withdrawals';

// One router per resource, all under /api.
export const routes = createRouter()
  .basePath('/api')
  .route('/', health)
  .route('/', auth)
  .route('/', passwordResetRoutes)
  .route('/', smsRoutes)
  .route('/', brandRoutes)
  .route('/', brandSetupRoutes)
  .route('/', jobRoutes)
  .route('/', applicationRoutes)
  .route('/', teamRoutes)
  .route('/', agentRoutes)
  .route('/', certificateRoutes)
  .route('/', memberRoutes)
  .route('/', memberBindingRoutes)
  // After memberRoutes, so /members/me is not read as an id.
  .route('/', memberViewRoutes)
  .route('/', customerRoutes)
  .route('/', materialRoutes)
  .route('/', orderRoutes)
  .route('/', productRoutes)
  .route('/', shopProductRoutes)
  .route('/', stockRoutes)
  .route('/', walletRoutes)
  .route('/', payoutRoutes)
  .route('/', withdrawalRoutes)
  .route('/', exportRoutes)
  .route('/', auditRoutes)
  .route('/', codeRoutes)
  .route('/', verifyRoutes)
  .route('/', inspectionRoutes)
  .route('/', reportRoutes)
  .route('/', noticeRoutes)
  .route('/', wechatRoutes)
  .route('/', benchFloorRoutes)
  .route('/', docs);
