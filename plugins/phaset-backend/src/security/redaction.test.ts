import { redactPathTokens } from './redaction';

describe('redactPathTokens', () => {
  it.each([
    [
      '/integration/event/org/demorecord/secret',
      '/integration/event/org/demorecord/***',
    ],
    [
      '/api/phaset/integration/record/org/demorecord/secret?x=1',
      '/api/phaset/integration/record/org/demorecord/***?x=1',
    ],
    [
      '/api/phaset/integration/standards/org/demorecord/secret/extra',
      '/api/phaset/integration/standards/org/demorecord/***/***',
    ],
    [
      '/api/phaset/integration/baselines/org/default/demorecord/secret',
      '/api/phaset/integration/baselines/org/default/demorecord/***',
    ],
    // A token sent without the Record id is masked as well.
    [
      '/api/phaset/integration/event/org/phs_secret',
      '/api/phaset/integration/event/org/***',
    ],
    [
      '/api/phaset/integration/nope/a/b/secret',
      '/api/phaset/integration/nope/***/***/***',
    ],
    [
      '/api/phaset/devlake/demorecord/secret/deployments',
      '/api/phaset/devlake/demorecord/***/deployments',
    ],
    [
      '/api/phaset/devlake/demorecord/secret/issue/KEY-1/close',
      '/api/phaset/devlake/demorecord/***/issue/KEY-1/close',
    ],
    ['/devlake/demorecord/deployments', '/devlake/demorecord/deployments'],
    [
      '/api/phaset/devlake/demorecord/issue/KEY-1/close',
      '/api/phaset/devlake/demorecord/issue/KEY-1/close',
    ],
    [
      '/api/phaset/devlake/phs_secret/deployments',
      '/api/phaset/devlake/***/deployments',
    ],
    [
      '/api/phaset/records/demorecord/tokens',
      '/api/phaset/records/demorecord/tokens',
    ],
    ['/api/catalog/integration/x/y/z', '/api/catalog/integration/x/y/z'],
  ])('%s -> %s', (url, expected) => {
    expect(redactPathTokens(url)).toBe(expected);
  });
});
