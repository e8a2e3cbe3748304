import { hashSubject } from '@vitrine/audit';
import type { ConsentRecord, Language } from '@vitrine/contracts';
import { addDuration } from '@vitrine/policy';
import type { EventRow, RightsRequestProof } from '@vitrine/storage';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { predictionsFlow } from './predictions';
import { asRequest } from './rights-requests';
import { subjectConsent } from './subject-consent';

/**
 * One data point of an export (R2, R5): where it is held, what it is, and why: its category
 * and source, the purposes and legal bases it is held for, how long, and when it goes.
 */
export interface DataPoint {
  store: string;
  id: string | null;
  time: string | null;
  category: string;
  category_label: string;
  /** provided, observed, derived or inferred (the policy's kinds). */
  source: string;
  purposes: string[];
  legal_basis: string[];
  /** An ISO 8601 duration, `session`, or a short phrase where no duration applies. */
  retention: string;
  expires_at: string | null;
  value: Record<string, unknown>;
}

/** The tables with a subject column, and the column: a test checks the schema has no other (R2). */
export const EXPORTED_TABLES = {
  subjects: 'id',
  events: 'subject_id',
  sessions: 'subject_id',
  consent_records: 'subject_id',
  exclusions: 'subject_id',
  objections: 'subject_id',
  rights_requests: 'subject_id',
  identity_keys: 'subject_id',
  identity_fields: 'subject_id',
  audit_entries: 'subject',
  erasures: 'subject_hash',
} as const;
export type ExportedTable = keyof typeof EXPORTED_TABLES;

export interface SubjectExport {
  format: 'vitrine-export/1';
  shop_id: string;
  subject_id: string;
  /** The hashed id under which records are kept after an erasure and written to the audit log. */
  subject_hash: string;
  generated_at: string;
  language: Language;
  controller: { name: string; address: string; email: string };
  recipients: { id: string; name: string; role: string; country: string }[];
  logic: string;
  /** Rows per table under the subject's id or its hash: every table with a subject column. */
  tables: Record<ExportedTable, number>;
  /** What the shop's models in memory hold of the subject, per kind of data. */
  memory: { shared_models: { sessions: number; interactions: number; in_derived_weights: boolean } };
  data: DataPoint[];
}

type Words = Record<
  | 'sessions'
  | 'consent'
  | 'models'
  | 'predictions'
  | 'identity'
  | 'wishes'
  | 'requests'
  | 'audit'
  | 'erasures'
  | 'asLongAsEvents'
  | 'notStored'
  | 'untilRemoved'
  | 'withLog'
  | 'setByShop'
  | 'logic'
  | 'purposeConsent'
  | 'purposeIdentity'
  | 'purposeRights'
  | 'purposeModels',
  string
>;

const WORDS: Record<Language, Words> = {
  de: {
    sessions: 'Besuche (Zeit der letzten Aktivität)',
    consent: 'Ihre Einwilligungen und ihre Nachweise',
    models: 'Ihr Beitrag zu gemeinsamen Modellen (Anzahlen)',
    predictions: 'Vorhersagen über Sie',
    identity: 'Name, E-Mail-Adresse, Anschrift',
    wishes: 'Ihre Wünsche zur Verarbeitung (Ausschlüsse, Widersprüche)',
    requests: 'Ihre Anfragen zu Ihren Rechten',
    audit: 'Protokolleinträge über Sie (unter gehashter Kennung)',
    erasures: 'Frühere Löschungen (Quittungen)',
    asLongAsEvents: 'so lange wie die zugehörigen Ereignisse',
    notStored: 'nicht gespeichert: bei jeder Anfrage neu berechnet',
    untilRemoved: 'bis Sie es aufheben oder Ihre Daten löschen lassen',
    withLog: 'mit dem Protokoll, nur unter gehashter Kennung',
    setByShop: 'vom Shop festgelegt',
    logic:
      'Empfehlungen entstehen aus dem, was Ihre Stufe erlaubt: auf Stufe 1 aus Ihrem aktuellen Besuch, ab Stufe 2 auch aus Ihrem Verlauf, und aus gemeinsamen Modellen (was andere zusammen angesehen und gekauft haben, als Anzahlen). Auf Stufe 3 kommen Vorhersagen dazu (Wiederkauf, nächste Kategorie, Kaufwahrscheinlichkeit des Besuchs). Jede Empfehlung nennt ihre Gründe; ausgeschlossene Artikel und Kategorien werden nicht verwendet.',
    purposeConsent: 'Nachweis von Einwilligungen – rechtliche Verpflichtung, Art. 7 Abs. 1 DSGVO',
    purposeIdentity: 'Zuordnung Ihrer Kontaktdaten, getrennt und je Person verschlüsselt',
    purposeRights: 'Umsetzung Ihrer Rechte – rechtliche Verpflichtung, Art. 5 Abs. 2, 12–21 DSGVO',
    purposeModels: 'Empfehlungen für alle verbessern',
  },
  en: {
    sessions: 'Visits (time of last activity)',
    consent: 'Your consents and their records',
    models: 'Your share in shared models (counts)',
    predictions: 'Predictions about you',
    identity: 'Name, e-mail address, postal address',
    wishes: 'Your wishes about processing (exclusions, objections)',
    requests: 'Your requests about your rights',
    audit: 'Log entries about you (under a hashed id)',
    erasures: 'Earlier erasures (receipts)',
    asLongAsEvents: 'as long as the events they belong to',
    notStored: 'not stored: computed anew on every request',
    untilRemoved: 'until you lift it or have your data erased',
    withLog: 'with the log, under a hashed id only',
    setByShop: 'set by the shop',
    logic:
      'Recommendations come from what your level allows: at level 1 from your current visit, from level 2 also from your history, and from shared models (what others viewed and bought together, as counts). Level 3 adds predictions (repurchase, next category, the chance this visit ends in a purchase). Every recommendation states its reasons; excluded items and categories are not used.',
    purposeConsent: 'Proof of consent – legal obligation, Art. 7(1) GDPR',
    purposeIdentity: 'Linking your contact details, kept apart and encrypted per person',
    purposeRights: 'Carrying out your rights – legal obligation, Art. 5(2), 12–21 GDPR',
    purposeModels: 'Better suggestions for everyone',
  },
};

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/**
 * Everything held about a subject (R2) as data points, in JSON or CSV (R5): every table with a
 * subject column, under the subject's id or its hash, and what the models in memory hold. A
 * rights request (R1); an export read with the secret key is in the audit log (D5).
 */
export async function exportSubject(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  lang: Language,
  proof: RightsRequestProof,
): Promise<SubjectExport> {
  return asRequest(deps, rt, subjectId, 'export', proof, async (request) => {
    const out = await collect(deps, rt, subjectId, lang);
    if (proof === 'secret_key') {
      await deps.audit.record(rt.shop.id, 'export_read', subjectId, {
        request: request.id,
        points: out.data.length,
      });
    }
    return out;
  });
}

async function collect(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  lang: Language,
): Promise<SubjectExport> {
  const w = WORDS[lang];
  const shopId = rt.shop.id;
  const policy = rt.policy;
  const s = deps.store;
  const hash = hashSubject(shopId, subjectId);
  const ref = { shopId, subjectId };
  const consent = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
  const [
    events,
    sessions,
    records,
    hashedRecords,
    exclusions,
    objection,
    requests,
    hashedRequests,
    identityKey,
    identityFields,
    audit,
    erasures,
  ] = await Promise.all([
    s.events.listForSubject(shopId, subjectId),
    s.events.listSessions(shopId, subjectId),
    s.consent.listRecords(shopId, subjectId),
    s.consent.listRecords(shopId, hash),
    s.exclusions.list(shopId, subjectId),
    s.objections.get(shopId, subjectId),
    s.rightsRequests.listForSubject(shopId, subjectId),
    s.rightsRequests.listForSubject(shopId, hash),
    s.identity.getKey(ref),
    s.identity.getFields(ref),
    s.audit.listForSubject(shopId, hash),
    s.erasures.findBySubject(shopId, hash),
  ]);

  const basis = (purpose: string): string => {
    const p = policy.purposes[purpose];
    return p === undefined ? purpose : `${p.legal_basis.type} – ${p.legal_basis.article[lang]}`;
  };
  // The purposes a category is held for: those granted now that read it (else every reader).
  const purposesOf = (category: string): string[] => {
    const readers = rt.compiled.readers.get(category) ?? [];
    const granted = readers.filter((p) => consent.granted.has(p));
    return granted.length > 0 ? granted : [...readers];
  };
  const categoryMeta = (category: string) => {
    const c = policy.categories[category];
    const purposes = purposesOf(category);
    return {
      category,
      category_label: c?.label[lang] ?? category,
      source: c?.kind ?? 'observed',
      purposes,
      legal_basis: [...new Set(purposes.map(basis))],
    };
  };
  const timeout = rt.compiled.sessionTimeoutMs;
  const lastSeen = new Map(sessions.map((x) => [x.id, x.lastSeen]));
  const data: DataPoint[] = [];

  for (const e of events) {
    const retention = policy.categories[e.category]?.retention ?? 'session';
    data.push(eventPoint(e, categoryMeta(e.category), retention, lastSeen, timeout));
  }
  for (const x of sessions) {
    const own = events.filter((e) => e.sessionId === x.id);
    const purposes = [...new Set(own.flatMap((e) => purposesOf(e.category)))];
    const expiries = own.map((e) => (e.sessionScoped ? x.lastSeen + timeout : (e.expiresAt ?? 0)));
    data.push({
      store: 'sessions',
      id: x.id,
      time: iso(x.lastSeen),
      category: 'sessions',
      category_label: w.sessions,
      source: 'observed',
      purposes,
      legal_basis: [...new Set(purposes.map(basis))],
      retention: w.asLongAsEvents,
      expires_at: iso(expiries.length > 0 ? Math.max(...expiries) : x.lastSeen + timeout),
      value: { session_id: x.id, last_seen: iso(x.lastSeen) },
    });
  }

  const recordRetention = policy.consent.record_retention;
  const consentMeta = {
    category: 'consent',
    category_label: w.consent,
    source: 'provided',
    purposes: ['consent_records'],
    legal_basis: [w.purposeConsent],
    retention: recordRetention,
  };
  if (consent.stored !== undefined) {
    data.push({
      ...consentMeta,
      store: 'subjects',
      id: subjectId,
      time: iso(consent.stored.updatedAt),
      expires_at: iso(consent.state.validUntil),
      value: {
        level: consent.state.level,
        purposes: consent.state.purposes,
        dpv_state: consent.state.dpvState,
        notice_version: consent.state.noticeVersion,
        gpc: consent.state.gpc,
        paused: consent.state.paused,
        needs_reconsent: consent.needsReconsent,
      },
    });
  }
  const texts = new Map<string, string | null>();
  for (const row of [...records, ...hashedRecords]) {
    const record = JSON.parse(row.record) as ConsentRecord;
    const key = `${record.notice.id}\u0000${record.notice.version}\u0000${record.notice.language}`;
    if (!texts.has(key)) {
      const n = await s.notices.get(shopId, record.notice.id, record.notice.version, record.notice.language);
      texts.set(key, n?.text ?? null);
    }
    data.push({
      ...consentMeta,
      store: 'consent_records',
      id: row.id,
      time: iso(row.eventTime),
      expires_at: iso(addDuration(row.eventTime, recordRetention)),
      value: { record, notice_text: texts.get(key) ?? null, kept_under: row.subjectId },
    });
  }

  const share = rt.models.contribution(subjectId);
  if (share.interactions > 0 || share.inDerivedWeights) {
    data.push({
      store: 'shared_models',
      id: null,
      time: null,
      category: 'shared_models',
      category_label: w.models,
      source: 'derived',
      purposes: ['aggregate_models'],
      legal_basis: [basis('aggregate_models')],
      retention: w.asLongAsEvents,
      expires_at: null,
      value: {
        sessions: share.sessions,
        interactions: share.interactions,
        in_derived_weights: share.inDerivedWeights,
      },
    });
  }

  const predictions = await predictionsFlow(deps, rt, subjectId, undefined, lang);
  const predictionCategory = policy.categories.predictions;
  for (const p of predictions.predictions) {
    data.push({
      store: 'predictions (memory)',
      id: null,
      time: iso(deps.clock.now()),
      category: 'predictions',
      category_label: predictionCategory?.label[lang] ?? w.predictions,
      source: 'inferred',
      purposes: ['predictions'],
      legal_basis: [basis('predictions')],
      retention: w.notStored,
      expires_at: null,
      value: { ...p },
    });
  }

  const identityMeta = {
    store: 'identity_fields',
    category: 'identity',
    category_label: w.identity,
    source: 'provided',
    purposes: ['identity'],
    legal_basis: [w.setByShop],
    retention: w.untilRemoved,
    expires_at: null,
  };
  const fieldNames = Object.keys(identityFields).sort();
  if (fieldNames.length > 0) {
    const read = deps.identity ? await deps.identity.get(ref) : undefined;
    for (const field of fieldNames) {
      const value =
        read?.status === 'present'
          ? { field, value: read.identity[field as keyof typeof read.identity] ?? null }
          : { field, value: null, note: 'encrypted; not readable without the master key' };
      data.push({ ...identityMeta, id: field, time: null, value });
    }
  }
  if (identityKey !== undefined) {
    data.push({
      ...identityMeta,
      store: 'identity_keys',
      id: null,
      time: null,
      value: {
        key: 'present: wraps the key of your fields; destroyed first when you erase (crypto-shredding)',
      },
    });
  }

  const wishMeta = {
    category: 'wishes',
    category_label: w.wishes,
    source: 'provided',
    purposes: ['rights'],
    legal_basis: [w.purposeRights],
    retention: w.untilRemoved,
    expires_at: null,
  };
  for (const x of exclusions) {
    data.push({
      ...wishMeta,
      store: 'exclusions',
      id: x.id,
      time: iso(x.createdAt),
      value: { item_id: x.itemId, category: x.category },
    });
  }
  if (objection !== undefined) {
    data.push({
      ...wishMeta,
      store: 'objections',
      id: null,
      time: iso(objection.updatedAt),
      value: { direct_marketing: objection.directMarketing, profiling: objection.profiling },
    });
  }
  for (const r of [...requests, ...hashedRequests]) {
    data.push({
      store: 'rights_requests',
      id: r.id,
      time: iso(r.receivedAt),
      category: 'rights_requests',
      category_label: w.requests,
      source: 'provided',
      purposes: ['rights'],
      legal_basis: [w.purposeRights],
      retention: recordRetention,
      expires_at: iso(addDuration(r.receivedAt, recordRetention)),
      value: {
        kind: r.kind,
        proof: r.proof,
        received: iso(r.receivedAt),
        deadline: iso(r.deadlineAt),
        completed: iso(r.completedAt),
        kept_under: r.subjectId,
      },
    });
  }
  for (const e of audit) {
    data.push({
      store: 'audit_entries',
      id: String(e.seq),
      time: iso(e.ts),
      category: 'audit',
      category_label: w.audit,
      source: 'derived',
      purposes: ['accountability'],
      legal_basis: [w.purposeRights],
      retention: w.withLog,
      expires_at: null,
      value: { seq: e.seq, kind: e.kind, subject: e.subject, data: e.data },
    });
  }
  for (const e of erasures) {
    data.push({
      store: 'erasures',
      id: e.id,
      time: iso(e.requestedAt),
      category: 'erasures',
      category_label: w.erasures,
      source: 'derived',
      purposes: ['rights'],
      legal_basis: [w.purposeRights],
      retention: w.withLog,
      expires_at: null,
      value: {
        status: e.status,
        completed: iso(e.completedAt),
        receipt: e.receipt ? JSON.parse(e.receipt) : null,
      },
    });
  }

  const granted = new Set(consent.granted);
  const recipientIds = [...new Set([...granted].flatMap((p) => policy.purposes[p]?.recipients ?? []))].sort();
  return {
    format: 'vitrine-export/1',
    shop_id: shopId,
    subject_id: subjectId,
    subject_hash: hash,
    generated_at: new Date(deps.clock.now()).toISOString(),
    language: lang,
    controller: {
      name: policy.controller.name,
      address: policy.controller.address,
      email: policy.controller.email,
    },
    recipients: recipientIds.flatMap((id) => {
      const r = policy.recipients[id];
      return r === undefined ? [] : [{ id, name: r.name, role: r.role[lang], country: r.country }];
    }),
    logic: w.logic,
    tables: {
      subjects: consent.stored === undefined ? 0 : 1,
      events: events.length,
      sessions: sessions.length,
      consent_records: records.length + hashedRecords.length,
      exclusions: exclusions.length,
      objections: objection === undefined ? 0 : 1,
      rights_requests: requests.length + hashedRequests.length,
      identity_keys: identityKey === undefined ? 0 : 1,
      identity_fields: fieldNames.length,
      audit_entries: audit.length,
      erasures: erasures.length,
    },
    memory: {
      shared_models: {
        sessions: share.sessions,
        interactions: share.interactions,
        in_derived_weights: share.inDerivedWeights,
      },
    },
    data,
  };
}

function eventPoint(
  e: EventRow,
  meta: Pick<DataPoint, 'category' | 'category_label' | 'source' | 'purposes' | 'legal_basis'>,
  retention: string,
  lastSeen: ReadonlyMap<string, number>,
  timeout: number,
): DataPoint {
  const seen = lastSeen.get(e.sessionId);
  return {
    store: 'events',
    id: e.id,
    time: iso(e.ts),
    ...meta,
    retention: e.sessionScoped ? 'session' : retention,
    expires_at: e.sessionScoped ? iso(seen === undefined ? null : seen + timeout) : iso(e.expiresAt),
    value: {
      type: e.type,
      session_id: e.sessionId,
      item_id: e.itemId,
      quantity: e.quantity,
      price: e.price,
      order_id: e.orderId,
      ...(e.data === null ? {} : (JSON.parse(e.data) as Record<string, unknown>)),
    },
  };
}

const CSV_COLUMNS = [
  'store',
  'id',
  'time',
  'category',
  'category_label',
  'source',
  'purposes',
  'legal_basis',
  'retention',
  'expires_at',
  'value',
] as const;

function csvCell(v: unknown): string {
  const text =
    v === null || v === undefined
      ? ''
      : Array.isArray(v)
        ? v.join('; ')
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The export as CSV (RFC 4180): one row per data point, the value as JSON in the last column. */
export function exportCsv(x: SubjectExport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of x.data) lines.push(CSV_COLUMNS.map((c) => csvCell(p[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
