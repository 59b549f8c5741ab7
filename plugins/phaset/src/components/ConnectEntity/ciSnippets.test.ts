import { curlSnippet, githubActionsSnippet } from './ciSnippets';

const target = {
  endpoint: 'https://backstage.example.com/api/phaset',
  organizationId: 'demoorg',
  recordId: 'NewRec0001',
};

describe('CI snippets', () => {
  it('configures Phaset action with the plugin base URL and the token as a secret', () => {
    const yaml = githubActionsSnippet(target);
    expect(yaml).toContain(
      'endpoint: https://backstage.example.com/api/phaset\n',
    );
    expect(yaml).toContain('api-key: ${{ secrets.PHASET_TOKEN }}');
    expect(yaml).toContain('org-id: demoorg');
    expect(yaml).toContain('record-id: NewRec0001');
    expect(yaml).not.toContain('/integration');
  });

  it('makes the same calls with curl, the token from the environment', () => {
    const curl = curlSnippet(target);
    const base = 'https://backstage.example.com/api/phaset/integration';
    expect(curl).toContain(`"${base}/record/demoorg/NewRec0001/$PHASET_TOKEN"`);
    expect(curl).toContain(`"${base}/event/demoorg/NewRec0001/$PHASET_TOKEN"`);
    expect(curl).toContain(
      `"${base}/baselines/demoorg/default/NewRec0001/$PHASET_TOKEN"`,
    );
    expect(curl).toContain(
      `"${base}/standards/demoorg/NewRec0001/$PHASET_TOKEN"`,
    );
  });
});
