import {
  Fields,
  hasLabel,
  incidentResults,
  sameText,
  withDelivery,
} from '../../fields';
import { Adapter, AdapterOptions, AdapterResult } from '../../types';

const source = 'jira' as const;

interface ChangelogItem {
  field: string;
  from: string;
  to: string;
}

function changelog(f: Fields): ChangelogItem[] {
  return f.optionalArray('changelog.items').map(item => ({
    field: item.string('field').toLowerCase(),
    from: item.optionalString('fromString') ?? '',
    to: item.optionalString('toString') ?? '',
  }));
}

/**
 * The issue's page: `self` is its REST URL, whose origin (the site) with
 * `/browse/{key}` is where people open it.
 */
function browseUrl(issue: Fields): string | undefined {
  const self = issue.link('self');
  const key = issue.optionalString('key');
  if (!self || !key) return undefined;
  try {
    return `${new URL(self).origin}/browse/${encodeURIComponent(key)}`;
  } catch {
    return undefined;
  }
}

function issueEvent(
  action: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  const issue = f.object('issue');
  const id = issue.id('id');
  const label = options.incidentLabel;
  const rawLabels = issue.get('fields.labels');
  const labels = Array.isArray(rawLabels)
    ? rawLabels.filter((l): l is string => typeof l === 'string')
    : [];
  const typeIsIncident = sameText(
    issue.optionalString('fields.issuetype.name') ?? '',
    'Incident',
  );
  const createdAt = issue.date('fields.created');
  // The delivery's own time, in epoch milliseconds.
  const eventTime = f.date('timestamp');
  const { opened, resolved } = incidentResults(
    source,
    id,
    createdAt,
    undefined,
    browseUrl(issue),
  );

  const items = changelog(f);
  if (action === 'issue_updated' && !typeIsIncident) {
    // Jira lists labels as a space-separated string before and after.
    const labelChange = items.find(item => item.field === 'labels');
    if (labelChange) {
      const before = hasLabel(labelChange.from.split(' '), label);
      const after = hasLabel(labelChange.to.split(' '), label);
      if (!before && after) {
        return opened(eventTime);
      }
      if (before && !after) {
        return resolved(eventTime);
      }
    }
  }
  if (!typeIsIncident && !hasLabel(labels, label)) {
    return { ignored: `issue ${id} is not an incident` };
  }
  switch (action) {
    case 'issue_created':
      return opened(createdAt);
    case 'issue_deleted':
      return resolved(eventTime);
    case 'issue_updated': {
      // Resolved = a resolution was set, or the status moved into the Done category.
      const resolutionSet = items.some(
        item => item.field === 'resolution' && item.to !== '',
      );
      const statusDone =
        items.some(item => item.field === 'status') &&
        issue.optionalString('fields.status.statusCategory.key') === 'done';
      return resolutionSet || statusDone
        ? resolved(issue.optionalDate('fields.resolutiondate') ?? eventTime)
        : { ignored: `update of issue ${id} does not close it` };
    }
    default:
      return { ignored: `jira:${action} is not tracked` };
  }
}

/** Jira Cloud webhooks; the event name is the body's `webhookEvent`. */
export const adaptJira: Adapter = (_headers, body, options) => {
  const f = new Fields('Jira', body);
  const webhookEvent = f.string('webhookEvent');
  const scoped = new Fields(`Jira ${webhookEvent}`, body);
  let result: AdapterResult;
  if (webhookEvent.startsWith('jira:issue_')) {
    result = issueEvent(webhookEvent.slice('jira:'.length), scoped, options);
  } else if (webhookEvent === 'comment_created') {
    const comment = scoped.object('comment');
    result = {
      events: [
        {
          kind: 'comment',
          source,
          target: 'issue',
          timestamp: comment.date('created'),
          externalId: `${source}:comment:${comment.id('id')}`,
        },
      ],
    };
  } else {
    result = { ignored: `Jira event "${webhookEvent}" is not tracked` };
  }
  // Jira sends no delivery id; time, issue and event together identify one.
  const deliveryId = [
    scoped.optionalId('timestamp'),
    scoped.optionalId('issue.id'),
    webhookEvent,
  ].join(':');
  return withDelivery(result, deliveryId);
};
