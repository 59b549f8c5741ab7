import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { ReactElement } from 'react';
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
          This entity names Record <code>{recordId}</code>, but the phaset
          backend does not know it. Create it with{' '}
          <code>
            POST /api/phaset/records{' '}
            {`{"id": "${recordId}", "organization": "<org>"}`}
          </code>
          , then push the manifest from CI.
        </Typography>
      }
    />
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
