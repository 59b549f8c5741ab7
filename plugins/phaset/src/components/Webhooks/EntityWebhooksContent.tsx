import { Content } from '@backstage/core-components';
import { NoRecordState, usePhasetRecordId } from '../ui';
import { RecordWebhooks } from './RecordWebhooks';

/** The entity's "Integrations" tab: its Record's tokens and webhooks. */
export function EntityWebhooksContent() {
  const recordId = usePhasetRecordId();
  return (
    <Content noPadding>
      {recordId ? <RecordWebhooks recordId={recordId} /> : <NoRecordState />}
    </Content>
  );
}
