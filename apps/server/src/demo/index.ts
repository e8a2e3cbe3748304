export { generateCatalog } from './catalog';
export type { DemoSubject, DemoTraffic, VisitorOptions } from './types';
export { generateVisitors } from './visitors';
