import { z } from 'zod';
import { ownRecord } from './keys';
import { ISSUE_CODES, text } from './text';

export const ITEM_ID = z
  .string()
  .min(1, 'item id must not be empty')
  .max(128, 'item id is at most 128 characters')
  .regex(/^[A-Za-z0-9._:/@+-]+$/, 'item id may contain letters, digits and . _ : / @ + - only');

/** Whether a string has a C0 control character or DEL (NUL is refused by `text()` already). */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * One level of a category path. Control characters are refused as well: the engine joins a
 * path with U+001F, so a name containing it would match another path.
 */
const categoryName = text()
  .trim()
  .min(1, 'a category name must not be empty')
  .max(100)
  .refine((s) => !hasControl(s), {
    message: 'a category name may not contain control characters (U+0001–U+001F, U+007F); remove them',
    params: { code: ISSUE_CODES.invalidText },
  });

const attributeValue = z.union([text().max(500), z.number().finite(), z.boolean()]);

export const ItemInput = z.object({
  id: ITEM_ID,
  title: text().trim().min(1, 'title must not be empty').max(500),
  category_path: z.array(categoryName).max(10).default([]),
  price: z.number().finite().nonnegative('price must be 0 or more'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as EUR')
    .default('EUR'),
  // Attribute names are data: `constructor` is kept as it is; only `__proto__` is refused.
  attributes: ownRecord(z.string().min(1).max(64), attributeValue)
    .refine((r) => Object.keys(r).length <= 50, 'at most 50 attributes')
    .default({}),
  available: z.boolean().default(true),
});
export type ItemInput = z.input<typeof ItemInput>;
export type Item = z.output<typeof ItemInput>;

export const MAX_ITEMS_PER_REQUEST = 10_000;

export const ItemsUpsertRequest = z.object({
  items: z.array(z.unknown()).min(1, 'send at least one item').max(MAX_ITEMS_PER_REQUEST),
});

export const ItemsUpsertResponse = z.object({
  upserted: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), field: z.string(), message: z.string() })),
});
export type ItemsUpsertResponse = z.infer<typeof ItemsUpsertResponse>;

/** `GET /v1/items/{id}`: one stored item. */
export interface ItemResponse {
  id: string;
  title: string;
  category_path: string[];
  price: number;
  currency: string;
  attributes: Record<string, string | number | boolean>;
  available: boolean;
  updated_at: string;
}
