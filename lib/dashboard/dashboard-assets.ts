import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files the page loads, shipped in the package beside this module (`assets/`). */
const ASSETS: Readonly<Record<string, string>> = {
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** The Content-Security-Policy of every dashboard response: nothing from elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** An asset's bytes and type. */
export interface Asset {
  body: Buffer;
  contentType: string;
}

/** Reads the assets once, at the first request; only the names above are served. */
export class DashboardAssets {
  private readonly cache = new Map<string, Asset>();

  constructor(private readonly dir = join(__dirname, 'assets')) {}

  /** The asset called `name`, or undefined when there is none. */
  asset(name: string): Asset | undefined {
    const contentType = ASSETS[name];
    if (!contentType) return undefined;
    let asset = this.cache.get(name);
    if (!asset) {
      asset = { body: readFileSync(join(this.dir, name)), contentType };
      this.cache.set(name, asset);
    }
    return asset;
  }

  /** The page, its placeholders filled (each value HTML-escaped). */
  page(values: { base: string; title: string; csrf: string }): string {
    const template = this.cache.get('index.html')?.body.toString('utf8');
    const html = template ?? readFileSync(join(this.dir, 'index.html'), 'utf8');
    if (!template) {
      this.cache.set('index.html', {
        body: Buffer.from(html),
        contentType: 'text/html',
      });
    }
    return html.replace(/\{\{(base|title|csrf)\}\}/g, (_, key: string) =>
      escapeHtml(values[key as keyof typeof values]),
    );
  }
}

/** `&<>"'` as entities: safe in text and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[
        char
      ]!,
  );
}
