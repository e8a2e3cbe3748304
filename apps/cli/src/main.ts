#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isVitrineError } from '@vitrine/contracts';
import { assertPurposesDeclared, CODE_PURPOSES, isPolicyError, loadPolicyFile } from '@vitrine/policy';
import { ConfigError, parseConfig } from '@vitrine/server';
import { importCatalog } from './import';
import { serve } from './serve';

const USAGE = `vitrine — personalization your customers control

usage:
  vitrine serve [--demo] [--port N] [--host H]   run the HTTP API (embedded store, or PostgreSQL with DATABASE_URL)
  vitrine shop create NAME [--policy FILE]       create a shop; prints its secret and public key once
  vitrine import catalog FILE --shop ID [--strict]
                                                  import items from CSV or JSON lines; bad rows are reported
                                                  with their line number, good rows imported (--strict: all or nothing)
  vitrine policy check FILE                       validate a policy file

configuration (environment): DATABASE_URL, VITRINE_DATA_DIR (.vitrine), HOST, PORT, VITRINE_POLICY,
VITRINE_SECRET, LOG_LEVEL, VITRINE_RETENTION_INTERVAL_S — see README.md.`;

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
        options: { policy: { type: 'string' } },
      });
      if (positionals[0] !== 'create' || !positionals[1]) break;
      const { Vitrine } = await import('@vitrine/server');
      const vitrine = await Vitrine.open(config());
      try {
        const policy = values.policy ? loadPolicyFile(values.policy) : undefined;
        const shop = await vitrine.createShop(positionals[1], policy);
        console.log(JSON.stringify(shop, null, 2));
        console.error('Keep the keys: only their hashes are stored, they cannot be shown again.');
      } finally {
        await vitrine.close();
      }
      return 0;
    }
    case 'import': {
      const { positionals, values } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { shop: { type: 'string' }, strict: { type: 'boolean', default: false } },
      });
      if (positionals[0] !== 'catalog' || !positionals[1] || !values.shop) break;
      return importCatalog(config(), positionals[1], values.shop, values.strict);
    }
    case 'policy': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true });
      if (positionals[0] !== 'check' || !positionals[1]) break;
      assertPurposesDeclared(loadPolicyFile(positionals[1]), CODE_PURPOSES, positionals[1]);
      console.log(`${positionals[1]}: valid`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
  },
  (err: unknown) => {
    if (isPolicyError(err) || err instanceof ConfigError || isVitrineError(err)) {
      console.error(`error: ${(err as Error).message}`);
    } else {
      console.error(err);
    }
    process.exitCode = 1;
  },
);
