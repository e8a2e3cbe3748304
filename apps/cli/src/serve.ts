import { serve as listen } from '@hono/node-server';
import { type Config, createApp, describeConfig, Vitrine } from '@vitrine/server';

/** Runs the HTTP API until SIGINT/SIGTERM; with `demo`, first makes sure the demo shop exists. */
export async function serve(config: Config, opts: { demo: boolean }): Promise<void> {
  const vitrine = await Vitrine.open(config);
  vitrine.log.info(describeConfig(config), 'starting');
  // A shop that cannot be loaded is logged and listed at /readyz; the others are served.
  const { loaded, unavailable } = await vitrine.loadAllShops();
  if (unavailable.length > 0) {
    vitrine.log.warn(
      { loaded: loaded.length, unavailable },
      `${unavailable.length} shop(s) cannot be served (see /readyz); starting with the others`,
    );
  }
  if (vitrine.deps.identity === undefined) {
    vitrine.log.warn('VITRINE_MASTER_KEY is not set: the identity store (e-mail, name, address) is off');
  }
  // R4: an erasure that a stop left midway completes before any request is served.
  const resumed = await vitrine.resumeErasures();
  if (resumed > 0) vitrine.log.info({ resumed }, 'erasures completed at start-up');
  const demo = opts.demo
    ? await (await import('@vitrine/server/demo')).seedDemoShop(vitrine, config)
    : undefined;
  vitrine.startRetention(config.retentionIntervalMs);
  vitrine.startModelRefresh(config.modelRefreshIntervalMs);
  const app = createApp(vitrine, {
    listShops: opts.demo,
    limits: config.limits,
    ...(demo ? { demo: { shopId: demo.shopId, publicKey: demo.publicKey } } : {}),
  });
  const { limits } = config;
  const serverOptions = {
    // A client must send its headers within headersTimeout and its whole request within
    // requestTimeout, or Node answers 408 and closes the connection (the default would let a
    // slow client hold it for 5 minutes). Checked every second rather than every 30 s.
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: 1_000,
  };
  const server = listen(
    { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions },
    (info) => {
      const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${info.port}`;
      const lines = [`Vitrine is running: open ${base}/`];
      if (demo) {
        lines.push(
          '',
          `Demo shop "${demo.name}" (${demo.shopId}): ${demo.items} items, ${demo.subjects} visitors, ${demo.accepted} events kept (${demo.dropped} dropped at the consent gate; ended level-1 sessions deleted).`,
          `  storefront:        ${base}/demo/   (the SDK's consent dialog, widgets with "Warum?", the privacy center)`,
          `  privacy notice:    ${base}/s/${demo.shopId}/privacy`,
          `  secret key:        ${demo.secretKey}`,
          `  public key:        ${demo.publicKey}`,
          '',
          'Try:',
          `  curl -s '${base}/v1/recommendations?scenario=trending&limit=5' -H 'Authorization: Bearer ${demo.secretKey}'`,
          `  curl -s '${base}/v1/recommendations?scenario=for_you&subject_id=${demo.sampleSubject}&limit=5' -H 'Authorization: Bearer ${demo.secretKey}'`,
        );
      }
      console.log(lines.join('\n'));
    },
  );
  const stop = () => {
    server.close();
    void vitrine.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
