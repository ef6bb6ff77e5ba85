import { createRouter } from '../http';
import { agentRoutes } from './agents';
import { applicationRoutes } from './applications';
import { auditRoutes } from './audit';
import { auth } from './auth';
import { benchFloorRoutes } from './benchFloor';
import { brandRoutes } from './brand';
import { certificateRoutes } from './certificates';
import { codeRoutes } from './codes';
import { docs } from './docs';
import { exportRoutes } from './exports';
import { health } from './health';
import { inspectionRoutes } from './inspections';
import { jobRoutes } from './jobs';
import { memberRoutes } from './members';
import { noticeRoutes } from './notices';
import { orderRoutes } from './orders';
import { productRoutes } from './products';
import { reportRoutes } from './reports';
import { shopProductRoutes } from './shopProducts';
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
  .route('/', brandRoutes)
  .route('/', jobRoutes)
  .route('/', applicationRoutes)
  .route('/', teamRoutes)
  .route('/', agentRoutes)
  .route('/', certificateRoutes)
  .route('/', memberRoutes)
  .route('/', orderRoutes)
  .route('/', productRoutes)
  .route('/', shopProductRoutes)
  .route('/', stockRoutes)
  .route('/', walletRoutes)
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
