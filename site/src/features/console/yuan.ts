// One yuan parser for every form (site/src/lib/money.ts).
export { parseYuanToFen } from '../../lib/money';
