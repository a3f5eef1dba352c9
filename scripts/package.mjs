// Store-ready zips of both builds with web-ext, into artifacts/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('manifest.json', 'utf8'));
for (const browser of ['chromium', 'firefox']) {
  execFileSync('npx', ['web-ext', 'build', '--source-dir', `dist/${browser}`, '--artifacts-dir', 'artifacts',
    '--filename', `untapped-${browser}-${version}.zip`, '--overwrite-dest'], { stdio: 'inherit' });
}
