import { InputError } from '@backstage/errors';
import { PhasetEvent } from '@internal/backstage-plugin-phaset-common';
import { Fields, sameText } from '../../fields';
import { Adapter, AdapterResult } from '../../types';

/*
 * Apache DevLake's incoming webhook (deployments, issues, issue close). The
 * documented payloads are snake_case (commit_sha, start_time...); current
 * DevLake also takes camelCase (commitSha, startedDate...), so both spellings
 * of each field are read.
 */

const source = 'devlake' as const;

/** First present spelling of a field. */
function pick(f: Fields, ...paths: string[]): string {
  return (
    paths.find(p => f.get(p) !== undefined && f.get(p) !== null) ?? paths[0]
  );
}

const DEPLOYMENT_RESULTS: Record<string, 'success' | 'failure'> = {
  SUCCESS: 'success',
  FAILURE: 'failure',
};

function deployment(body: unknown, now: Date): AdapterResult {
  const f = new Fields('DevLake deployment', body);
  const resultName = (f.optionalString('result') || 'SUCCESS').toUpperCase();
  if (!['SUCCESS', 'FAILURE', 'ABORT', 'MANUAL'].includes(resultName)) {
    f.fail('result', 'one of SUCCESS, FAILURE, ABORT, MANUAL');
  }
  const result = DEPLOYMENT_RESULTS[resultName];
  // start_time is required by DevLake even though only the finish time counts.
  f.date(pick(f, 'start_time', 'startedDate'));
  if (!result) {
    return {
      ignored: `deployment result ${resultName} is not a finished deployment`,
    };
  }
  const environment = f.optionalString('environment') || 'PRODUCTION';
  // DevLake defaults end_time to the time it receives the request.
  const finishedAt = f.optionalDate(pick(f, 'end_time', 'finishedDate')) ?? now;
  // Current DevLake names a deployment by `id`; the documented payload only
  // by its pipeline, which several deployments may share.
  const id = f.optionalId('id');
  const pipelineId = f.optionalId(pick(f, 'pipeline_id', 'pipelineId'));
  const commitsPath = pick(f, 'deploymentCommits', 'deployment_commits');
  const commits =
    f.get(commitsPath) === undefined || f.get(commitsPath) === null
      ? [f]
      : f.array(commitsPath);
  if (commits.length === 0) {
    f.fail(commitsPath, 'at least one commit');
  }
  const events: PhasetEvent[] = commits.map(c => {
    const commitSha = c.string(pick(c, 'commit_sha', 'commitSha'));
    const repoUrl = c.string(pick(c, 'repo_url', 'repoUrl'));
    return {
      kind: 'deployment',
      source,
      commitSha,
      environment,
      result,
      deploymentId: id,
      timestamp: finishedAt,
      // DevLake itself keys a deployment commit on repo URL + commit SHA.
      externalId: `${source}:deployment:${
        id ?? pipelineId ?? ''
      }:${repoUrl}:${commitSha}`,
    };
  });
  return { events, deliveryId: id ? `deployment:${id}` : undefined };
}

function issue(body: unknown, now: Date, incidentLabel: string): AdapterResult {
  const f = new Fields('DevLake issue', body);
  const key = f.id(pick(f, 'issue_key', 'issueKey'));
  f.string('title');
  const status = f.string('status');
  if (!['TODO', 'DONE', 'IN_PROGRESS'].includes(status)) {
    f.fail('status', 'one of TODO, DONE, IN_PROGRESS');
  }
  const createdAt = f.date(pick(f, 'created_date', 'createdDate'));
  const type = f.optionalString('type') ?? '';
  if (!sameText(type, 'INCIDENT') && !sameText(type, incidentLabel)) {
    return { ignored: `issue type "${type}" is not an incident` };
  }
  const externalId = `${source}:incident:${key}`;
  // The issue's page in its tracker (seed 002's `url`, often empty).
  const url = f.link('url');
  const events: PhasetEvent[] = [
    {
      kind: 'incident-opened',
      source,
      id: key,
      createdAt,
      timestamp: createdAt,
      externalId,
      url,
    },
  ];
  const resolvedAt = f.optionalDate(
    pick(f, 'resolution_date', 'resolutionDate'),
  );
  if (status === 'DONE' || resolvedAt) {
    const at =
      resolvedAt ??
      f.optionalDate(pick(f, 'updated_date', 'updatedDate')) ??
      now;
    events.push({
      kind: 'incident-resolved',
      source,
      id: key,
      createdAt,
      resolvedAt: at,
      timestamp: at,
      externalId,
      url,
    });
  }
  return { events };
}

/** POST .../issue/{key}/close: resolved now (DevLake's own bug #7970 left it empty). */
function close(issueKey: string, now: Date): AdapterResult {
  if (!issueKey) {
    throw new InputError('DevLake close: missing issue key in the path');
  }
  return {
    events: [
      {
        kind: 'incident-resolved',
        source,
        id: issueKey,
        resolvedAt: now,
        timestamp: now,
        externalId: `${source}:incident:${issueKey}`,
      },
    ],
  };
}

/** The endpoint below `/devlake/{RECORD_ID}` a close goes to. */
export const closeEndpoint = (issueKey: string) => `issue/${issueKey}/close`;

/** The issue key of a close endpoint, else undefined. */
export function closedIssueKey(endpoint: string | undefined) {
  return /^issue\/(.*)\/close$/s.exec(endpoint ?? '')?.[1];
}

/** DevLake's three endpoints, told apart by the path the delivery came to. */
export const adaptDevlake: Adapter = (_headers, body, options) => {
  const now = options.now ? options.now() : new Date();
  if (options.endpoint === 'deployments') {
    return deployment(body, now);
  }
  if (options.endpoint === 'issues') {
    return issue(body, now, options.incidentLabel);
  }
  const issueKey = closedIssueKey(options.endpoint);
  if (issueKey === undefined) {
    throw new InputError(`DevLake: unknown endpoint "${options.endpoint}"`);
  }
  return close(issueKey, now);
};
