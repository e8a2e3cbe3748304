import { randomBytes } from 'node:crypto';
import { openStore } from '@vitrine/storage';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { storeContract } from './contract';

const url = process.env.TEST_DATABASE_URL;
if (!url && process.env.CI) {
  throw new Error('TEST_DATABASE_URL is not set: CI must run the PostgreSQL storage contract, not skip it.');
}

describe.skipIf(!url)('postgres', () => {
  const schemas: string[] = [];

  // Every store gets its own schema, dropped when the file is done.
  storeContract('postgres', () => {
    const schema = `vitrine_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return openStore({ driver: 'postgres', url: url!, schema });
  });

  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });
});
