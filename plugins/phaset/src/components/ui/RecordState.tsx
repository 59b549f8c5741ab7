import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useAsyncEntity, useEntity } from '@backstage/plugin-catalog-react';
import { phasetRecordCreatePermission } from '@internal/backstage-plugin-phaset-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ReactElement, useState } from 'react';
import { usePhasetPermission } from '../../permissions/usePhasetPermission';
import { ConnectEntityDialog } from '../ConnectEntity/ConnectEntityDialog';
import { getPhasetRecordId } from '../../isPhasetAvailable';

/** The entity's Phaset Record id, or undefined without the annotation. */
export function usePhasetRecordId(): string | undefined {
  const { entity } = useEntity();
  return getPhasetRecordId(entity);
}

function isNotFound(error: Error): boolean {
  return (
    error.name === 'NotFoundError' ||
    (error as { statusCode?: number }).statusCode === 404
  );
}

/** Tells why a Record's data cannot be shown, with what to do about it. */
export function NoRecordState(props: { recordId?: string }) {
  const { recordId } = props;
  if (!recordId) {
    return (
      <EmptyState
        missing="field"
        title="Not linked to a Phaset Record"
        description="Add the annotation phaset.dev/record-id to this entity, or describe it with a phaset.manifest.json, to see its Record, Standards and metrics here."
      />
    );
  }
  return (
    <EmptyState
      missing="data"
      title={`Phaset has no Record ${recordId} yet`}
      description={
        <Typography variant="body1" component="span">
          This entity names Record <code>{recordId}</code> (annotation{' '}
          <code>phaset.dev/record-id</code>), but Phaset does not know it yet.
          Connect it to create the Record and get a CI token, then push the
          manifest and events from CI.
        </Typography>
      }
      action={<ConnectAnnotatedRecord recordId={recordId} />}
    />
  );
}

/** Creates the Record an entity's annotation names, for users who may. */
function ConnectAnnotatedRecord({ recordId }: { recordId: string }) {
  const { entity } = useAsyncEntity();
  const create = usePhasetPermission(phasetRecordCreatePermission);
  const [open, setOpen] = useState(false);
  if (!entity) return null;
  if (!create.allowed) {
    return (
      <Typography variant="body2" color="textSecondary">
        Ask someone who may create Phaset Records to connect it.
      </Typography>
    );
  }
  return (
    <>
      <Button color="primary" variant="contained" onClick={() => setOpen(true)}>
        Connect to Phaset
      </Button>
      <ConnectEntityDialog
        entityRef={stringifyEntityRef(entity)}
        recordId={recordId}
        open={open}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

/**
 * Loading, error and missing-Record states of a Phaset read; `children` renders
 * the loaded value.
 */
export function AsyncContent<T>(props: {
  recordId?: string;
  loading: boolean;
  error?: Error;
  value?: T;
  children: (value: T) => ReactElement;
}) {
  const { recordId, loading, error, value, children } = props;
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return isNotFound(error) ? (
      <NoRecordState recordId={recordId} />
    ) : (
      <ResponseErrorPanel error={error} />
    );
  }
  return value === undefined ? null : children(value);
}
