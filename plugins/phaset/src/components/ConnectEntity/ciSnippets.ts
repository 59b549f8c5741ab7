/** What a CI needs to reach a Record: Phaset's CI action inputs and URLs. */
export type CiTarget = {
  /** The phaset plugin's base URL (the action's `endpoint`), e.g. https://backstage.example.com/api/phaset. */
  endpoint: string;
  organizationId: string;
  recordId: string;
};

/** The name of the CI secret that holds the token. */
export const TOKEN_SECRET = 'PHASET_TOKEN';

/**
 * A GitHub Actions workflow running Phaset's CI action on every push to main:
 * manifest, Standards and a deployment event. The token stays a secret
 * reference; docs/phaset-action.md lists the calls the action makes.
 */
export function githubActionsSnippet(target: CiTarget): string {
  return `# .github/workflows/phaset.yml
name: Phaset
on:
  push:
    branches: [main]
jobs:
  phaset:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: phasetdev/phaset-action@<the tag or commit you pin>
        with:
          endpoint: ${target.endpoint}
          api-key: \${{ secrets.${TOKEN_SECRET} }}
          org-id: ${target.organizationId}
          record-id: ${target.recordId}
          run-deployment: 'true'
`;
}

/** The same calls with curl, for any other CI. */
export function curlSnippet(target: CiTarget): string {
  const base = (route: string) =>
    `${target.endpoint}/integration/${route}/${target.organizationId}`;
  const token = `$${TOKEN_SECRET}`;
  return `# ${TOKEN_SECRET} comes from your CI's secret store.
# The manifest (phaset.manifest.json) describes the service:
curl -X POST "${base('record')}/${target.recordId}/${token}" \\
  -H 'Content-Type: application/json' -d @phaset.manifest.json

# After each production deployment:
curl -X POST "${base('event')}/${target.recordId}/${token}" \\
  -H 'Content-Type: application/json' \\
  -d "{\\"event\\": \\"deployment\\", \\"commitSha\\": \\"$(git rev-parse HEAD)\\"}"

# Standards: fetch the Baseline, run StandardLint, post its results:
curl -o standardlint.json "${base('baselines')}/default/${
    target.recordId
  }/${token}"
npx standardlint --output
curl -X POST "${base('standards')}/${target.recordId}/${token}" \\
  -H 'Content-Type: application/json' -d @standardlint.results.json
`;
}
