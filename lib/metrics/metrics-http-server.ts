import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** What a route answers. */
export interface RouteResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * A small HTTP server for processes without HTTP (workers, beats): GET on a few fixed
 * paths (`/metrics`, `/health`), 404 elsewhere, 500 with the error when a route fails.
 */
export class MetricsHttpServer {
  private server: Server | null = null;

  constructor(
    private readonly routes: Record<string, () => Promise<RouteResponse>>,
  ) {}

  /** Listens on `port` (0: any free one); resolves with the port. */
  async listen(port: number, host?: string): Promise<number> {
    if (this.server) throw new Error('the metrics server listens already');
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      const route = request.method === 'GET' ? this.routes[path] : undefined;
      if (!route) {
        response.writeHead(404, { 'Content-Type': 'text/plain' });
        response.end(`not found: ${request.method} ${path}\n`);
        return;
      }
      route().then(
        ({ status, contentType, body }) => {
          response.writeHead(status, { 'Content-Type': contentType });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { 'Content-Type': 'text/plain' });
          response.end(`${String(error)}\n`);
        },
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
