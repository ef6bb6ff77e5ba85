import { simulationSuite } from './sim/suite';

// Seeds 1–3 by default, or those `npm run sim` passes (SIM_SEEDS); seeds 4–6 run in test/simulation-2.test.ts.
simulationSuite([1, 2, 3], { parameters: true });
