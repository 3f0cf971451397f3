import {
  CONTENT_SECURITY_POLICY,
  DashboardAssets,
  escapeHtml,
} from '../../../lib/dashboard/dashboard-assets';
import { TASK_EVENT_STATES } from '../../../lib/events/task-record';

describe('DashboardAssets', () => {
  const assets = new DashboardAssets();

  it('fills the page, escaping every value', () => {
    const html = assets.page({
      base: '/a"b',
      title: '<script>alert(1)</script>',
      csrf: 'tok&en',
    });
    expect(html).toContain(
      '<meta name="dashboard-base" content="/a&quot;b" />',
    );
    expect(html).toContain('<meta name="csrf-token" content="tok&amp;en" />');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toMatch(/\{\{\w+\}\}/);
  });

  it('serves only its own files, and nothing from elsewhere', () => {
    expect(assets.asset('dashboard.js')?.contentType).toMatch(/javascript/);
    expect(assets.asset('dashboard.css')?.contentType).toMatch(/css/);
    expect(assets.asset('../dashboard-assets.ts')).toBeUndefined();
    expect(assets.asset('index.html')).toBeUndefined();
    const page = assets.page({ base: '', title: 't', csrf: 'c' });
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(assets.asset('dashboard.js')!.body.toString()).not.toMatch(
      /https?:\/\//,
    );
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
  });

  it('escapes the five characters that matter in HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it("lists the task states of the Tasks page's filter as the server knows them", () => {
    const script = assets.asset('dashboard.js')!.body.toString();
    const list = /const TASK_STATES = \[([^\]]*)\]/.exec(script)?.[1] ?? '';
    const states = [...list.matchAll(/'([A-Z]+)'/g)].map((match) => match[1]);
    expect(states).toEqual(TASK_EVENT_STATES);
  });
});
