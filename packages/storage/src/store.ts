import { type Kysely, Migrator, sql } from 'kysely';
import type { DialectDriver } from './dialects/driver';
import { migrationsFor } from './migrations';
import { KyselyAudit } from './repositories/audit';
import { KyselyCatalog } from './repositories/catalog';
import { KyselyConsent } from './repositories/consent';
import { KyselyErasures } from './repositories/erasures';
import { KyselyEvents } from './repositories/events';
import { KyselyExclusions, KyselyObjections } from './repositories/exclusions';
import { KyselyIdempotency } from './repositories/idempotency';
import { KyselyIdentity } from './repositories/identity';
import { KyselyKeys } from './repositories/keys';
import { KyselyNotices } from './repositories/notices';
import { KyselyRightsRequests } from './repositories/rights-requests';
import { KyselyShops } from './repositories/shops';
import { KyselySubjects } from './repositories/subjects';
import { QueryRunner } from './runner';
import type { Database } from './schema';
import type { Repositories, Store, TransactionRepositories } from './types';

/** Every repository on one query runner: the pool, or one open transaction. */
function repositories(q: QueryRunner): Repositories {
  return {
    shops: new KyselyShops(q),
    keys: new KyselyKeys(q),
    subjects: new KyselySubjects(q),
    consent: new KyselyConsent(q),
    notices: new KyselyNotices(q),
    catalog: new KyselyCatalog(q),
    events: new KyselyEvents(q),
    erasures: new KyselyErasures(q),
    exclusions: new KyselyExclusions(q),
    objections: new KyselyObjections(q),
    rightsRequests: new KyselyRightsRequests(q),
    audit: new KyselyAudit(q),
    identity: new KyselyIdentity(q),
    idempotency: new KyselyIdempotency(q),
  };
}

/** The store shared by every dialect: the repositories on one runner, migrations, transactions. */
export class KyselyStore implements Store {
  readonly dialect: Store['dialect'];
  readonly shops: Repositories['shops'];
  readonly keys: Repositories['keys'];
  readonly subjects: Repositories['subjects'];
  readonly consent: Repositories['consent'];
  readonly notices: Repositories['notices'];
  readonly catalog: Repositories['catalog'];
  readonly events: Repositories['events'];
  readonly erasures: Repositories['erasures'];
  readonly exclusions: Repositories['exclusions'];
  readonly objections: Repositories['objections'];
  readonly rightsRequests: Repositories['rightsRequests'];
  readonly audit: Repositories['audit'];
  readonly identity: Repositories['identity'];
  readonly idempotency: Repositories['idempotency'];
  readonly #runner: QueryRunner;
  readonly #driver: DialectDriver;
  readonly #db: Kysely<Database>;

  constructor(driver: DialectDriver) {
    this.dialect = driver.dialect;
    this.#driver = driver;
    this.#db = driver.db;
    this.#runner = new QueryRunner(driver.db, driver);
    ({
      shops: this.shops,
      keys: this.keys,
      subjects: this.subjects,
      consent: this.consent,
      notices: this.notices,
      catalog: this.catalog,
      events: this.events,
      erasures: this.erasures,
      exclusions: this.exclusions,
      objections: this.objections,
      rightsRequests: this.rightsRequests,
      audit: this.audit,
      identity: this.identity,
      idempotency: this.idempotency,
    } = repositories(this.#runner));
  }

  ping(): Promise<void> {
    return this.#runner.run('reach the database', async (db) => {
      await sql`select 1`.execute(db);
    });
  }

  migrate(): Promise<void> {
    return this.#runner.run('migrate the database', async () => {
      const migrator = new Migrator({
        db: this.#db,
        provider: { getMigrations: async () => migrationsFor(this.dialect) },
        migrationTableSchema: this.#driver.migrationSchema,
      });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    });
  }

  transaction<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T> {
    return this.#runner.transaction((q) => work(repositories(q)));
  }

  close(): Promise<void> {
    return this.#db.destroy();
  }
}
