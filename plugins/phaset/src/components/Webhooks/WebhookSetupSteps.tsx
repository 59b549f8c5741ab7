import { CodeSnippet } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { GeneratedWebhook, WebhookSourceDescription } from '../../api';

/** A DevLake deployment as DevLake's own webhook page shows it, in curl. */
function devlakeCurls(url: string): string {
  const deployment = JSON.stringify({
    id: 'deploy-1',
    result: 'SUCCESS',
    environment: 'PRODUCTION',
    startedDate: '2026-01-01T10:00:00Z',
    finishedDate: '2026-01-01T10:05:00Z',
    deploymentCommits: [
      {
        repoUrl: 'https://github.com/acme/shop',
        commitSha: '<commit SHA>',
        startedDate: '2026-01-01T10:00:00Z',
        finishedDate: '2026-01-01T10:05:00Z',
      },
    ],
  });
  const issue = JSON.stringify({
    issueKey: 'INC-1',
    title: 'Checkout fails',
    type: 'INCIDENT',
    status: 'TODO',
    createdDate: '2026-01-01T11:00:00Z',
  });
  return [
    `curl ${url}/deployments -X POST -H 'Content-Type: application/json' -d '${deployment}'`,
    `curl ${url}/issues -X POST -H 'Content-Type: application/json' -d '${issue}'`,
    `curl ${url}/issue/INC-1/close -X POST`,
  ].join('\n\n');
}

/** A deployment in Phaset's JSON event format, in curl. */
function phasetEventCurl(url: string): string {
  return `curl ${url} -X POST -H 'Content-Type: application/json' -d '{"event": "deployment", "commitSha": "<commit SHA>"}'`;
}

/**
 * How to set the generated webhook up in its tool: where it goes, the
 * content type, the events to tick and where the signing secret goes.
 */
export function WebhookSetupSteps(props: {
  source: WebhookSourceDescription;
  webhook: GeneratedWebhook;
}) {
  const { source, webhook } = props;
  const { setup } = source;
  const example =
    source.id === 'devlake'
      ? devlakeCurls(webhook.url)
      : source.id === 'ci' && phasetEventCurl(webhook.url);
  return (
    <Box data-testid="webhook-setup-steps">
      <Typography variant="subtitle2" gutterBottom>
        Set it up in {source.title}
      </Typography>
      <ol style={{ marginTop: 0, paddingLeft: 20 }}>
        <li>
          <Typography variant="body2">{setup.where}</Typography>
        </li>
        {setup.contentType && (
          <li>
            <Typography variant="body2">
              Content type: <code>{setup.contentType}</code>
            </Typography>
          </li>
        )}
        <li>
          <Typography variant="body2" component="div">
            Events to send:
            <ul style={{ margin: 0 }}>
              {setup.events.map(event => (
                <li key={event}>{event}</li>
              ))}
            </ul>
          </Typography>
        </li>
        {setup.secret && (
          <li>
            <Typography variant="body2">
              The signing secret goes into: {setup.secret}
            </Typography>
          </li>
        )}
      </ol>
      {example && (
        <CodeSnippet
          text={example}
          language="bash"
          showCopyCodeButton
          customStyle={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        />
      )}
    </Box>
  );
}
