import { type IdentityRequest, VitrineError } from '@vitrine/contracts';
import { isIdentityError } from '@vitrine/identity';
import type { RightsRequestProof } from '@vitrine/storage';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { asRequest } from './rights-requests';

export interface IdentityResponse {
  subject_id: string;
  /** none: nothing stored; present: the fields in clear; shredded: fields left whose key is destroyed. */
  status: 'none' | 'present' | 'shredded';
  identity: { email?: string; name?: string; address?: string };
}

function vault(deps: Deps) {
  if (deps.identity === undefined) {
    // A 4xx: retrying will not help, the server's configuration must change.
    throw new VitrineError(
      'conflict',
      'The identity store is off on this server: no master key is configured. Set VITRINE_MASTER_KEY (openssl rand -base64 32) and restart.',
      { field: 'identity' },
    );
  }
  return deps.identity;
}

function identityError(e: unknown): never {
  if (isIdentityError(e)) throw new VitrineError(e.errorCode, `${e.field}: ${e.message}`, { field: e.field });
  throw e;
}

/** D3: the subject's e-mail, name and address, decrypted; a read with the secret key is in the audit log. */
export async function readIdentity(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  proof: RightsRequestProof,
): Promise<IdentityResponse> {
  const read = await vault(deps).get({ shopId: rt.shop.id, subjectId }).catch(identityError);
  if (proof === 'secret_key' && read.status === 'present') {
    await deps.audit.record(rt.shop.id, 'admin_access', subjectId, {
      what: 'identity',
      fields: Object.keys(read.identity).sort(),
    });
  }
  return {
    subject_id: subjectId,
    status: read.status,
    identity: read.status === 'present' ? read.identity : {},
  };
}

/** D3: sets the given fields (null removes one), each encrypted with the subject's own key. */
export async function writeIdentity(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  body: IdentityRequest,
): Promise<IdentityResponse> {
  const v = vault(deps);
  const ref = { shopId: rt.shop.id, subjectId };
  const fields: Record<string, string | null> = {};
  for (const [k, value] of Object.entries(body)) if (value !== undefined) fields[k] = value;
  await v.set(ref, fields).catch(identityError);
  const read = await v.get(ref).catch(identityError);
  return {
    subject_id: subjectId,
    status: read.status,
    identity: read.status === 'present' ? read.identity : {},
  };
}

/**
 * Erases the identity alone (crypto-shredding, R4): the subject's key is destroyed first, then
 * the fields. Works without a master key too: shredding needs none.
 */
export async function shredIdentity(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  proof: RightsRequestProof,
): Promise<{ subject_id: string; key_destroyed: boolean; fields_deleted: number; request_id: string }> {
  return asRequest(
    deps,
    rt,
    subjectId,
    'erasure',
    proof,
    async (request) => {
      const ref = { shopId: rt.shop.id, subjectId };
      const keyDestroyed = await deps.store.identity.deleteKey(ref);
      const fieldsDeleted = await deps.store.identity.deleteFields(ref);
      return {
        subject_id: subjectId,
        key_destroyed: keyDestroyed,
        fields_deleted: fieldsDeleted,
        request_id: request.id,
      };
    },
    { scope: 'identity' },
  );
}
