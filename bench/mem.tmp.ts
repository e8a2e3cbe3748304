import { buildModels } from '@vitrine/engine';
import { runScaleGen } from './scale';

const g = () => {
  (globalThis as any).gc();
  (globalThis as any).gc();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
};
const shop = runScaleGen(100000, 1000000, 40000);
const h0 = g();
const m: any = buildModels(
  shop.catalog,
  shop.events.filter((e) => e.type !== 'search'),
);
const h1 = g();
console.log('gen', h0, 'models', h1 - h0);
const st = m.sessions;
const parts: Record<string, () => void> = {
  popularity: () => {
    m.popularity = null;
  },
  learned: () => {
    m.learned = null;
  },
  derived: () => {
    m.derivedModel = null;
    m.cycles = null;
  },
  slotOf: () => {
    st.slotOf = null;
  },
  keys: () => {
    st.keys.length = 0;
  },
  times: () => {
    st.times.length = 0;
  },
  types: () => {
    st.types.length = 0;
  },
  quantities: () => {
    st.quantities.length = 0;
  },
  seq: () => {
    st.seq.length = 0;
  },
  postings: () => {
    st.postings.length = 0;
    st.purchases.length = 0;
  },
  bySubject: () => {
    st.bySubject = null;
    st.subjects.length = 0;
  },
  items: () => {
    m.items = null;
  },
};
let prev = h1;
for (const [k, f] of Object.entries(parts)) {
  f();
  const h = g();
  console.log(k, prev - h);
  prev = h;
}
console.log('rest', prev - h0);
