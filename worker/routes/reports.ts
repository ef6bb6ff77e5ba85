import { createRouter } from '../http';

export const reportRoutes = createRouter();
