import { z } from 'zod';

export const ITEM_ID = z
  .string()
  .min(1, 'item id must not be empty')
  .max(128, 'item id is at most 128 characters')
  .regex(/^[A-Za-z0-9._:/@+-]+$/, 'item id may contain letters, digits and . _ : / @ + - only');

const attributeValue = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

export const ItemInput = z.object({
  id: ITEM_ID,
  title: z.string().trim().min(1, 'title must not be empty').max(500),
  category_path: z.array(z.string().trim().min(1).max(100)).max(10).default([]),
  price: z.number().finite().nonnegative('price must be 0 or more'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as EUR')
    .default('EUR'),
  attributes: z
    .record(z.string().min(1).max(64), attributeValue)
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
