import { createRouter } from '../http';

export const wechatRoutes = createRouter();
