import { Fields, hasLabel, incidentResults, withDelivery } from '../../fields';
import { Adapter, AdapterOptions, AdapterResult } from '../../types';

const source = 'linear' as const;

// Linear workflow state types that end an issue.
const CLOSED_STATE_TYPES = ['completed', 'canceled'];

function issue(
  action: string,
  f: Fields,
  options: AdapterOptions,
): AdapterResult {
  const data = f.object('data');
  const id = data.id('id');
  const label = options.incidentLabel;
  const labels = data.optionalArray('labels').map(l => l.string('name'));
  if (!hasLabel(labels, label)) {
    // A removed label is only reported by id, so un-labelling cannot be
    // recognised once the name is gone; close or delete the issue instead.
    return { ignored: `issue ${id} is not labelled "${label}"` };
  }
  const createdAt = data.date('createdAt');
  // The body's createdAt is when the action happened.
  const actionAt = f.date('createdAt');
  const { opened, resolved } = incidentResults(
    source,
    id,
    createdAt,
    undefined,
    data.link('url') ?? f.link('url'),
  );

  if (action === 'create') {
    return opened(createdAt);
  }
  if (action === 'remove') {
    return resolved(actionAt);
  }
  if (action === 'update') {
    const incidentLabelId = data
      .optionalArray('labels')
      .find(l => hasLabel([l.string('name')], label))
      ?.id('id');
    const previousLabelIds = f.get('updatedFrom.labelIds');
    if (
      Array.isArray(previousLabelIds) &&
      !previousLabelIds.includes(incidentLabelId)
    ) {
      return opened(actionAt);
    }
    const stateType = data.optionalString('state.type') ?? '';
    if (
      f.get('updatedFrom.stateId') !== undefined &&
      CLOSED_STATE_TYPES.includes(stateType)
    ) {
      return resolved(
        data.optionalDate('completedAt') ??
          data.optionalDate('canceledAt') ??
          actionAt,
      );
    }
  }
  return { ignored: `issue ${action} does not open or close an incident` };
}

/** Linear webhooks; the entity type is in `Linear-Event` (= body `type`). */
export const adaptLinear: Adapter = (headers, body, options) => {
  const type = headers['linear-event'] ?? '';
  const f = new Fields(`Linear ${type}`, body);
  const action = f.string('action');
  let result: AdapterResult;
  if (type === 'Issue') {
    result = issue(action, f, options);
  } else if (type === 'Comment' && action === 'create') {
    const data = f.object('data');
    result = {
      events: [
        {
          kind: 'comment',
          source,
          target: 'issue',
          timestamp: data.date('createdAt'),
          externalId: `${source}:comment:${data.id('id')}`,
          url: data.link('url') ?? f.link('url'),
        },
      ],
    };
  } else {
    result = { ignored: `Linear ${type} ${action} is not tracked` };
  }
  // Current deliveries carry webhookId; older ones only the Linear-Delivery header.
  const webhookId = f.optionalId('webhookId');
  return withDelivery(
    result,
    webhookId
      ? `${webhookId}:${f.optionalString('createdAt') ?? ''}`
      : headers['linear-delivery'],
  );
};
