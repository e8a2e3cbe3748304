#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isVitrineError } from '@vitrine/contracts';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  checkPolicyBuilds,
  isPolicyError,
  loadPolicyFile,
} from '@vitrine/policy';
import { ConfigError, parseConfig } from '@vitrine/server';
import { isStorageError } from '@vitrine/storage';
import { AUDIT_USAGE, auditCommand } from './audit';
import { importCatalog } from './import';
import { serve } from './serve';

const USAGE = `vitrine — personalization your customers control

usage:
  vitrine serve [--demo] [--port N] [--host H]   run the HTTP API (embedded store, or PostgreSQL with DATABASE_URL)
  vitrine shop create NAME [--policy FILE]       create a shop; prints its secret and public key once
  vitrine shop policy SHOP_ID FILE               put a new policy in force (a new notice version; changed
                                                  purposes are asked for again)
  vitrine shop origins SHOP_ID [ORIGIN ...|--none]
                                                  which origins (https://shop.example) may embed the
                                                  privacy center and notice in their pages; no ORIGIN: show them
  vitrine shop list                              list the shops
  vitrine import catalog FILE --shop ID [--strict]
                                                  import items from CSV or JSON lines; bad rows are reported
                                                  with their line number, good rows imported (--strict: all or nothing)
  vitrine policy check FILE                       validate a policy file
${AUDIT_USAGE}
  vitrine identity rotate                         rewrap every subject key under VITRINE_MASTER_KEY (after a key change,
                                                  with the old key in VITRINE_MASTER_KEY_PREVIOUS); safe to rerun

configuration (environment): DATABASE_URL, VITRINE_DATA_DIR (.vitrine), HOST, PORT, VITRINE_POLICY,
VITRINE_SECRET, VITRINE_MASTER_KEY, LOG_LEVEL, VITRINE_RETENTION_INTERVAL_S, VITRINE_MODEL_REFRESH_S, and the limits
(VITRINE_MAX_BODY_*, VITRINE_*_TIMEOUT_S, VITRINE_RATE_*, VITRINE_DB_*) — see README.md.
With PostgreSQL, commands need the same DATABASE_URL and VITRINE_SECRET as the server.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = () => parseConfig(process.env);
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: {
          demo: { type: 'boolean', default: false },
          port: { type: 'string' },
          host: { type: 'string' },
        },
      });
      const c = config();
      if (values.port !== undefined) c.port = Number(values.port);
      if (values.host !== undefined) c.host = values.host;
      await serve(c, { demo: values.demo });
      return 0;
    }
    case 'shop': {
      const { positionals, values } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { policy: { type: 'string' }, none: { type: 'boolean', default: false } },
      });
      const [sub, arg, file] = positionals;
      if (sub === 'create') {
        if (!arg)
          return usageError('shop create needs a name: vitrine shop create "Mein Shop" [--policy FILE]');
        return withVitrine(async (vitrine) => {
          const policy = values.policy ? loadPolicyFile(values.policy) : undefined;
          const shop = await vitrine.createShop(arg, policy);
          console.log(JSON.stringify(shop, null, 2));
          console.error('Keep the keys: only their hashes are stored, they cannot be shown again.');
          if (!values.policy) {
            console.error(
              'The shop uses the built-in example policy (controller "Beispiel Wohnen & Schenken GmbH"). Put your own in place with: vitrine shop policy SHOP_ID FILE',
            );
          }
        });
      }
      if (sub === 'policy') {
        if (!arg || !file)
          return usageError(
            'shop policy needs a shop id and a policy file: vitrine shop policy shop_… policy.json',
          );
        return withVitrine(async (vitrine) => {
          const rt = await vitrine.updatePolicy(arg, loadPolicyFile(file));
          console.log(`${arg}: policy from ${file} is in force; notice version ${rt.notice.version}.`);
        });
      }
      if (sub === 'origins') {
        if (!arg)
          return usageError('shop origins needs a shop id: vitrine shop origins shop_… https://shop.example');
        const origins = positionals.slice(2);
        return withVitrine(async (vitrine) => {
          const set =
            origins.length > 0 || values.none
              ? await vitrine.setOrigins(arg, origins)
              : (await vitrine.store.shops.get(arg))?.origins;
          if (set === undefined) throw new Error(`There is no shop ${arg}.`);
          console.log(set.length > 0 ? set.join('\n') : `${arg}: no origin may embed the customer pages`);
        });
      }
      if (sub === 'list') {
        return withVitrine(async (vitrine) => {
          for (const s of await vitrine.store.shops.list()) console.log(`${s.id}\t${s.name}`);
        });
      }
      return usageError(
        `unknown shop command "${sub ?? ''}"; use shop create, shop policy, shop origins or shop list`,
      );
    }
    case 'import': {
      const { positionals, values } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { shop: { type: 'string' }, strict: { type: 'boolean', default: false } },
      });
      if (positionals[0] !== 'catalog' || !positionals[1] || !values.shop) {
        return usageError(
          'import needs a file and a shop: vitrine import catalog FILE --shop shop_… [--strict]',
        );
      }
      return importCatalog(config(), positionals[1], values.shop, values.strict);
    }
    case 'audit':
      return auditCommand(config, rest);
    case 'identity': {
      if (rest[0] !== 'rotate') return usageError('identity needs a command: vitrine identity rotate');
      return withVitrine(async (vitrine) => {
        const vault = vitrine.deps.identity;
        if (vault === undefined) throw new ConfigError('the identity store is off: set VITRINE_MASTER_KEY');
        const r = await vault.rotate();
        for (const shop of await vitrine.store.shops.list()) {
          await vitrine.audit.record(shop.id, 'key_rotation', null, { what: 'identity_master_key', ...r });
        }
        console.log(
          `${r.rewrapped} subject key(s) rewrapped under the current master key, ${r.current} already were. The previous key can now be removed from VITRINE_MASTER_KEY_PREVIOUS.`,
        );
      });
    }
    case 'policy': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals[0] !== 'check' || !positionals[1])
        return usageError('policy check needs a file: vitrine policy check FILE');
      const policy = loadPolicyFile(positionals[1]);
      assertPurposesDeclared(policy, CODE_PURPOSES, positionals[1]);
      // Valid means usable: everything a shop builds from the policy is built once here.
      checkPolicyBuilds(policy, positionals[1]);
      console.log(`${positionals[1]}: valid`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
  }
  return usageError(`unknown command "${command}"`);
}

function usageError(problem: string): number {
  console.error(`error: ${problem}\n\n${USAGE}`);
  return 2;
}

/** Opens the configured store for one command and closes it afterwards. */
async function withVitrine(
  run: (vitrine: import('@vitrine/server').Vitrine) => Promise<void>,
): Promise<number> {
  const { Vitrine } = await import('@vitrine/server');
  const vitrine = await Vitrine.open(parseConfig(process.env));
  try {
    await run(vitrine);
    return 0;
  } finally {
    await vitrine.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
  },
  (err: unknown) => {
    // Storage errors name the operation and the reason in words (no SQL): no stack trace either.
    if (isPolicyError(err) || err instanceof ConfigError || isVitrineError(err) || isStorageError(err)) {
      console.error(`error: ${(err as Error).message}`);
    } else {
      console.error(err);
    }
    process.exitCode = 1;
  },
);
