import { execFileSync } from 'child_process';

/*
 * How Phaset's CI action (github.com/phasetdev/phaset-action, `action.yml` and
 * `phaset.sh`, a composite action around a bash script) reads a manifest and
 * what it sends. The shell text below is copied from those two files unchanged
 * and run with bash, so a manifest the action cannot parse fails here too.
 * The facts are summarised in docs/phaset-action.md.
 */

/** `action.yml` "Infer IDs": the org id when the `org-id` input is left out. */
const INFER_ORG_ID = `grep -o '"organizationId"[[:space:]]*:[[:space:]]*".*"' "$1" | awk -F':' '{gsub(/[", ]/, "", $2); print $2}'`;

/** `action.yml` "Infer IDs": the Record id when `record-id` is left out. */
const INFER_RECORD_ID = `grep -o '"id"[[:space:]]*:[[:space:]]*".*"' "$1" | awk -F':' '{gsub(/[", ]/, "", $2); print $2}'`;

/** `phaset.sh` get_baseline_id: the Baseline the standards step fetches. */
const BASELINE_ID = `json_object=$(cat "$1" | tr ',' '\\n')

baseline_id=$(printf -- '%s\\n' "\${json_object}" | awk -F ':' '
    /"baseline"/ { in_baseline = 1 }
    in_baseline && /"id"/ { gsub(/"/, "", $NF); print $NF; in_baseline = 0 }
')

echo \${baseline_id:-default}`;

function runOnFile(script: string, file: string): string {
  // Command substitution in the action drops trailing newlines; so do we.
  return execFileSync('bash', ['-c', script, 'bash', file], {
    encoding: 'utf8',
  }).replace(/\n+$/, '');
}

/** What the action infers from `phaset.manifest.json` at `file`. */
export function actionReadsManifest(file: string): {
  organizationId: string;
  recordId: string;
  baselineId: string;
} {
  return {
    organizationId: runOnFile(INFER_ORG_ID, file),
    recordId: runOnFile(INFER_RECORD_ID, file),
    baselineId: runOnFile(BASELINE_ID, file),
  };
}

/** `curl -d @file` sends the file with its carriage returns and newlines removed. */
export const curlDataFromFile = (text: string) => text.replace(/[\r\n]/g, '');

/** The deployment step's body (`phaset.sh` handle_deployment): no timestamp. */
export const deploymentBody = (commitSha: string) =>
  `{\n  "event": "deployment",\n  "commitSha": "${commitSha}"\n}\n`;

/** The SHA the deployment step sends in a repository without commits. */
export const EMPTY_REPOSITORY_SHA = 'demo_commit_sha';

/** The action's calls, relative to its `endpoint`. */
export const actionUrls = (
  ids: { organizationId: string; recordId: string; baselineId: string },
  token: string,
) => ({
  record: `/integration/record/${ids.organizationId}/${ids.recordId}/${token}`,
  baseline: `/integration/baselines/${ids.organizationId}/${ids.baselineId}/${ids.recordId}/${token}`,
  standards: `/integration/standards/${ids.organizationId}/${ids.recordId}/${token}`,
  event: `/integration/event/${ids.organizationId}/${ids.recordId}/${token}`,
});
