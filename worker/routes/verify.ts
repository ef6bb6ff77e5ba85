import { createRouter } from '../http';

export const verifyRoutes = createRouter();
