import { createRouter } from '../http';

export const inspectionRoutes = createRouter();
