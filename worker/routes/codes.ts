import { createRouter } from '../http';

export const codeRoutes = createRouter();
