import {
  EVENT_TYPES,
  isInheritedName,
  type Language,
  ownRecord,
  text,
  wellFormedText,
} from '@vitrine/contracts';
import { z } from 'zod';
import { durationMs } from './duration';

const LANGUAGE_NAMES: Record<Language, string> = { de: 'German', en: 'English' };

function textIn(lang: Language) {
  const name = LANGUAGE_NAMES[lang];
  return text({
    error: (iss) => (iss.input === undefined ? `missing ${name} text` : `${name} text must be a string`),
  })
    .trim()
    .min(1, `${name} text is empty`);
}

/** Every customer-facing text, in German and English, both present and non-empty (T1). */
const TEXTS = { de: textIn('de'), en: textIn('en') } satisfies Record<Language, unknown>;
export const Text = z.strictObject(TEXTS);
export type Text = z.infer<typeof Text>;

/**
 * An id of a category, purpose or recipient. Built-in names of every object (`constructor`)
 * are refused: the code looks ids up by name, and such a lookup must never find an inherited
 * member instead of a declared entry.
 */
const Id = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    'ids are lower-case letters, digits and _ (at most 64), starting with a letter',
  )
  .refine((s) => !isInheritedName(s), {
    error: (iss) =>
      `"${String(iss.input)}" is a built-in property name of every JavaScript object and cannot be an id; choose another id`,
  });

/** A record keyed by ids: a built-in name as a key is refused with its path, never dropped. */
const byId = <V extends z.core.SomeType>(value: V) => ownRecord(Id, value, { inherited: true });

export const Duration = z
  .string()
  .refine((s) => durationMs(s) !== undefined, 'must be an ISO 8601 duration such as P12M, P30D or PT12H');

/** A category's retention: a duration from the time of the event, or only for the session. */
export const Retention = z
  .string()
  .refine(
    (s) => s === 'session' || durationMs(s) !== undefined,
    'retention must be "session" or an ISO 8601 duration such as P12M, P30D or PT12H',
  );

const Email = z.email('must be an e-mail address');

export const Controller = z.strictObject({
  name: text().trim().min(1, 'controller name is empty'),
  address: text().trim().min(1, 'controller address is empty'),
  email: Email,
  dpo: z.strictObject({ name: text().trim().min(1).optional(), email: Email }).optional(),
});

export const CategoryKind = z.enum(['provided', 'observed', 'derived', 'inferred']);

export const Category = z.strictObject({
  kind: CategoryKind,
  retention: Retention,
  label: Text,
  description: Text,
});

export const LegalBasisType = z.enum(['consent', 'legitimate_interest', 'contract', 'legal_obligation']);

export const Purpose = z.strictObject({
  label: Text,
  description: Text,
  legal_basis: z.strictObject({ type: LegalBasisType, article: Text }),
  categories: z.array(Id),
  /** Data read for this purpose is kept only for the session (the level-1 purposes). */
  session_only: z.boolean(),
  profiling: z.boolean(),
  /** Direct marketing: offered only as its own switch, never inside a level (O3). */
  marketing: z.boolean(),
  recipients: z.array(Id),
});

export const LevelEntry = z.strictObject({
  name: Text,
  summary: Text,
  purposes: z.array(Id),
  reward: Text.optional(),
});

export const EventRule = z.strictObject({
  category: Id,
  /** Fields kept for this event type; a subset of `EVENT_FIELDS[type]` of @vitrine/contracts. */
  fields: z.array(text()),
  /** Fields that belong to another category than the event, e.g. `context.device` → `device_context`. */
  field_categories: ownRecord(text(), Id, { inherited: true }).default({}),
});

export const Recipient = z.strictObject({
  name: text().trim().min(1, 'recipient name is empty'),
  role: Text,
  /** ISO 3166-1 alpha-2 country code of where the recipient processes the data. */
  country: z.string().regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as DE'),
});

export const PolicySchema = z.strictObject({
  notice_id: Id,
  controller: Controller,
  supervisory_authority: z.strictObject({ name: Text, url: z.url().check(wellFormedText) }).optional(),
  categories: byId(Category),
  purposes: byId(Purpose),
  levels: z.array(LevelEntry).length(4, 'levels must list exactly four levels, 0 to 3'),
  switches: z.array(Id).default([]),
  events: z.record(z.enum(EVENT_TYPES), EventRule),
  recipients: byId(Recipient).default({}),
  /** How customers withdraw: the text shown and the path of the privacy center (C8). */
  withdrawal: z.strictObject({ path: text().regex(/^\//, 'path must start with /'), text: Text }),
  consent: z.strictObject({
    /** How long a consent stays valid before the customer is asked again. */
    validity: Duration,
    /** How long consent records are kept as proof (Art. 7(1)). */
    record_retention: Duration,
  }),
  session_timeout_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});

export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type PolicyPurpose = z.infer<typeof Purpose>;
export type PolicyCategory = z.infer<typeof Category>;
export type PolicyRecipient = z.infer<typeof Recipient>;
export type PolicyEventRule = z.infer<typeof EventRule>;
export type LegalBasisType = z.infer<typeof LegalBasisType>;
