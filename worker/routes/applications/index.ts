import { createRouter } from '../../http';
import { applyRoutes } from './apply';
import { decideRoutes } from './decide';
import { readRoutes } from './read';

// Applications to become an agent: applying (public); reading and deciding (the supplier they are addressed to,
// or the brand).
export const applicationRoutes = createRouter().route('/', applyRoutes).route('/', readRoutes).route('/', decideRoutes);
