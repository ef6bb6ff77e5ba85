import { simulationSuite } from './sim/suite';

// The default run's seeds 4–6, in their own file so vitest runs them beside test/simulation.test.ts.
simulationSuite([4, 5, 6], { parameters: false });
