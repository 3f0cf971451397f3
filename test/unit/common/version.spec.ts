import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CELERIAC_VERSION } from '../../../lib/common/version';

describe('CELERIAC_VERSION', () => {
  it('is the version in package.json', () => {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(CELERIAC_VERSION).toBe(manifest.version);
  });
});
