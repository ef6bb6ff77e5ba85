import { createRouter } from '../http';

export const noticeRoutes = createRouter();
