import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditCheckProof, auditVerify, isAuditError, type Lang } from '@vitrine/audit';
import { type Config, Vitrine } from '@vitrine/server';

export const AUDIT_USAGE = `  vitrine audit verify --shop ID [--key KEY] [--lang en]
                                                  check the shop's audit log in the store: the hash chain and every
                                                  signed checkpoint; exit 1 naming the first changed, removed,
                                                  inserted or reordered entry (--key: the key the shop published)
  vitrine audit verify --file LOG.json [--lang en]  the same, offline, on an exported log (audit export)
  vitrine audit export --shop ID                  print the log, its checkpoints and the public key as JSON
  vitrine audit checkpoint --shop ID              sign a checkpoint of the log as it is now and print it
  vitrine audit prove --shop ID (--seq N | --record cns_… | --erasure era_…)
                                                  print the inclusion proof of one entry against a signed checkpoint
  vitrine audit check-proof PROOF.json --key KEY [--lang en]
                                                  check a proof offline with the shop's published key`;

function fail(message: string): number {
  console.error(`error: ${message}\n\n${AUDIT_USAGE}`);
  return 2;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** `vitrine audit …` (D5): verify and prove against the store, or offline against files. */
export async function auditCommand(config: () => Config, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      shop: { type: 'string' },
      key: { type: 'string' },
      file: { type: 'string' },
      lang: { type: 'string', default: 'de' },
      seq: { type: 'string' },
      record: { type: 'string' },
      erasure: { type: 'string' },
    },
  });
  if (values.lang !== 'de' && values.lang !== 'en') return fail('--lang must be de or en');
  const lang = values.lang as Lang;
  try {
    if (sub === 'check-proof') {
      const file = positionals[0];
      if (!file || !values.key) return fail('check-proof needs a proof file and --key');
      const r = auditCheckProof({ public_key: values.key, proof: readJson(file) }, lang);
      (r.exitCode === 0 ? console.log : console.error)(r.text);
      return r.exitCode;
    }
    if (sub === 'verify' && values.file !== undefined) {
      const r = auditVerify(readJson(values.file), lang);
      (r.exitCode === 0 ? console.log : console.error)(r.text);
      return r.exitCode;
    }
    if (!['verify', 'export', 'checkpoint', 'prove'].includes(sub ?? '')) {
      return fail(`unknown audit command "${sub ?? ''}"`);
    }
    const shopId = values.shop;
    if (!shopId) return fail(`audit ${sub} needs --shop ID`);
    const vitrine = await Vitrine.open(config());
    try {
      // The shop must exist; its models are not loaded (verifying writes nothing to the log).
      if ((await vitrine.store.shops.get(shopId)) === undefined) return fail(`there is no shop ${shopId}`);
      const store = vitrine.store.audit;
      const read = async () => ({
        public_key: values.key ?? (await vitrine.audit.publicKey(shopId)).base64,
        shop_id: shopId,
        entries: await store.read(shopId, 0, await store.size(shopId)),
        checkpoints: (await store.checkpoints(shopId)).map((c) => c.text),
      });
      switch (sub) {
        case 'verify': {
          const r = auditVerify(await read(), lang);
          (r.exitCode === 0 ? console.log : console.error)(r.text);
          if (values.key === undefined) {
            console.error(
              lang === 'de'
                ? 'Hinweis: geprüft mit dem Schlüssel aus der Datenbank; prüfen Sie mit --key gegen den veröffentlichten.'
                : 'note: checked with the key from the database; check against the published one with --key.',
            );
          }
          return r.exitCode;
        }
        case 'export':
          console.log(JSON.stringify(await read(), null, 2));
          return 0;
        case 'checkpoint':
          process.stdout.write((await vitrine.audit.checkpoint(shopId)).text);
          return 0;
        default: {
          const seq = await seqOf(vitrine, shopId, values);
          if (seq === undefined)
            return fail('prove needs --seq N, --record cns_… or --erasure era_… of an entry in the log');
          console.log(JSON.stringify(await vitrine.audit.prove(shopId, seq), null, 2));
          return 0;
        }
      }
    } finally {
      await vitrine.close();
    }
  } catch (e) {
    if (isAuditError(e)) {
      console.error(`error: ${e.field ? `${e.field}: ` : ''}${e.message}`);
      return 1;
    }
    if (e instanceof SyntaxError) return fail(`not JSON: ${e.message}`);
    throw e;
  }
}

async function seqOf(
  vitrine: Vitrine,
  shopId: string,
  v: { seq?: string | undefined; record?: string | undefined; erasure?: string | undefined },
): Promise<number | undefined> {
  if (v.seq !== undefined) return /^\d+$/.test(v.seq) ? Number(v.seq) : undefined;
  const size = await vitrine.store.audit.size(shopId);
  const entries = await vitrine.store.audit.read(shopId, 0, size);
  const found = entries.find(
    (e) =>
      (v.record !== undefined && e.kind === 'consent_change' && e.data.record === v.record) ||
      (v.erasure !== undefined && e.kind === 'erasure' && e.data.erasure === v.erasure),
  );
  return found?.seq;
}
