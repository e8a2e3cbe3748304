import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback between the server and PostgreSQL, which the test cuts and restores
 * (the machine's PostgreSQL is never stopped: other work uses it).
 *
 * - `cut('reset')`: every connection is closed at once and new ones are closed on arrival, as
 *   when the database restarts or refuses connections.
 * - `cut('blackhole')`: connections stay open but nothing passes, and new ones are accepted
 *   and never answered, as in a network partition: only timeouts notice.
 * - `restore()`: new connections reach the database again; connections held during a
 *   blackhole are closed (after a partition they would be broken).
 */
export class DatabaseProxy {
  readonly #server: Server;
  readonly #pairs = new Set<{ client: Socket; upstream?: Socket }>();
  #mode: 'up' | 'reset' | 'blackhole' = 'up';
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.#server = createServer((client) => this.#accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<DatabaseProxy> {
    const proxy = new DatabaseProxy(target);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as { port: number }).port;
    return proxy;
  }

  #accept(client: Socket): void {
    client.on('error', () => {});
    if (this.#mode === 'reset') {
      client.destroy();
      return;
    }
    const pair: { client: Socket; upstream?: Socket } = { client };
    this.#pairs.add(pair);
    client.on('close', () => {
      pair.upstream?.destroy();
      this.#pairs.delete(pair);
    });
    if (this.#mode === 'blackhole') {
      client.pause(); // accepted, never answered
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (d) => {
      if (this.#mode === 'up') upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (this.#mode === 'up') client.write(d);
    });
  }

  cut(mode: 'reset' | 'blackhole'): void {
    this.#mode = mode;
    if (mode === 'reset') {
      for (const p of this.#pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
    }
  }

  restore(): void {
    const held = this.#mode === 'blackhole';
    this.#mode = 'up';
    if (held) {
      for (const p of this.#pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
    }
  }

  async close(): Promise<void> {
    this.cut('reset');
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
