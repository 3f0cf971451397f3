import net from 'node:net';

/**
 * A TCP proxy to a Redis server that holds back the first client write carrying one
 * command (RESP, by name) until the test lets it through: a test can then land another
 * client's write between two commands of the code under test, deterministically.
 */
export class HoldingProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private held: (() => void) | null = null;
  private armed: { command: RegExp; onHold: () => Promise<void> } | null = null;

  private constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => this.forward(client, upstream, chunk));
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  static async start(target = { host: '127.0.0.1', port: 6379 }) {
    const proxy = new HoldingProxy(target);
    await new Promise<void>((resolve) =>
      proxy.server.listen(0, '127.0.0.1', resolve),
    );
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** The next write carrying `name` waits for `onHold` to settle; true once it did. */
  holdNext(name: string, onHold: () => Promise<void>): () => boolean {
    let happened = false;
    this.armed = {
      command: new RegExp(`\\*\\d+\r\n\\$${name.length}\r\n${name}\r\n`, 'i'),
      onHold: async () => {
        happened = true;
        await onHold();
      },
    };
    return () => happened;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: net.Socket, upstream: net.Socket, chunk: Buffer) {
    if (this.held) {
      // Order is kept: what follows a held write waits behind it.
      const release = this.held;
      this.held = () => {
        release();
        upstream.write(chunk);
      };
      return;
    }
    const armed = this.armed;
    if (!armed || !armed.command.test(chunk.toString('latin1'))) {
      upstream.write(chunk);
      return;
    }
    this.armed = null;
    client.pause();
    this.held = () => upstream.write(chunk);
    void armed.onHold().finally(() => {
      const release = this.held;
      this.held = null;
      release?.();
      client.resume();
    });
  }
}
