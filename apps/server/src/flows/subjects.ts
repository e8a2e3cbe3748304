import { newId, type SubjectCreatedResponse } from '@vitrine/contracts';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';

/** A new pseudonymous subject and the token that binds a browser to it. Nothing is stored (D1). */
export async function createSubject(deps: Deps, rt: ShopRuntime): Promise<SubjectCreatedResponse> {
  const id = newId('subject');
  return { subject_id: id, token: await deps.tokens.issue(rt.shop.id, id) };
}
