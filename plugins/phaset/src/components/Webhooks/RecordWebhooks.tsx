import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { phasetTokenManagePermission } from '@internal/backstage-plugin-phaset-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { ReactNode, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, PhasetToken } from '../../api';
import { usePhasetPermission } from '../../permissions/usePhasetPermission';
import { formatDateTime, formatRelative } from '../ui/format';
import { GenerateWebhookDialog } from './GenerateWebhookDialog';
import { RenameField } from './RenameField';
import { RevokeWebhookDialog } from './RevokeWebhookDialog';

function When({ iso, never }: { iso?: string; never: string }) {
  if (!iso) {
    return (
      <Typography variant="body2" color="textSecondary">
        {never}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </Typography>
  );
}

function TokenTable(props: {
  tokens: PhasetToken[];
  toolTitle: (source: string) => string;
  canManage: boolean;
  onRename: (token: PhasetToken, name: string) => Promise<void>;
  onRevoke: (token: PhasetToken) => void;
}) {
  const { tokens, toolTitle, canManage, onRename, onRevoke } = props;
  const columns: Array<[string, (token: PhasetToken) => ReactNode]> = [
    [
      'Name',
      token => (
        <RenameField
          name={token.name}
          // Tokens declared in app-config are renamed there, not here.
          onRename={
            canManage && token.origin === 'api'
              ? name => onRename(token, name)
              : undefined
          }
        />
      ),
    ],
    ['Tool', token => toolTitle(token.source)],
    ['Signed', token => (token.signed ? 'yes' : 'no')],
    ['Created', token => <When iso={token.createdAt} never="" />],
    [
      'Last delivery',
      token => <When iso={token.lastDeliveryAt} never="never" />,
    ],
    ['Accepted', token => token.deliveriesAccepted],
    ['Rejected', token => token.deliveriesRejected],
  ];
  return (
    <Table size="small" aria-label="Tokens and webhooks">
      <TableHead>
        <TableRow>
          {columns.map(([title]) => (
            <TableCell key={title}>{title}</TableCell>
          ))}
          {canManage && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {tokens.map(token => (
          <TableRow key={token.id} data-testid={`token-row-${token.name}`}>
            {columns.map(([title, render]) => (
              <TableCell key={title}>{render(token)}</TableCell>
            ))}
            {canManage && (
              <TableCell align="right">
                {token.origin === 'api' ? (
                  <Button
                    size="small"
                    color="secondary"
                    onClick={() => onRevoke(token)}
                    aria-label={`Revoke ${token.name}`}
                  >
                    Revoke
                  </Button>
                ) : (
                  <Typography variant="caption" color="textSecondary">
                    from app-config
                  </Typography>
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * A Record's CI tokens and generated webhooks with their delivery statistics,
 * and, for users who may manage them, generate / rename / revoke.
 */
export function RecordWebhooks(props: { recordId: string; title?: ReactNode }) {
  const { recordId, title = 'Tokens and webhooks' } = props;
  const api = useApi(phasetApiRef);
  const manage = usePhasetPermission(phasetTokenManagePermission, recordId);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion(v => v + 1);
  const [generating, setGenerating] = useState(false);
  const [revoking, setRevoking] = useState<PhasetToken>();
  const tokens = useAsync(
    async () => (manage.allowed ? api.listWebhooks(recordId) : []),
    [api, recordId, manage.allowed, version],
  );
  const sources = useAsync(
    () => (manage.allowed ? api.getWebhookSources() : Promise.resolve([])),
    [api, manage.allowed],
  );
  const toolTitle = (source: string) =>
    source === 'ci'
      ? 'CI'
      : sources.value?.find(s => s.id === source)?.title ?? source;

  let content: ReactNode;
  if (manage.loading || tokens.loading) {
    content = <Progress />;
  } else if (!manage.allowed) {
    content = (
      <Typography variant="body2" color="textSecondary">
        You may not see or manage this Record's tokens and webhooks; its owners
        can.
      </Typography>
    );
  } else if (tokens.error) {
    content = <ResponseErrorPanel error={tokens.error} />;
  } else if (!tokens.value?.length) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No tokens or webhooks yet. Generate a webhook for the tool that should
        send this Record's deployments, changes, pull requests or incidents.
      </Typography>
    );
  } else {
    content = (
      <TokenTable
        tokens={tokens.value}
        toolTitle={toolTitle}
        canManage={manage.allowed}
        onRename={async (token, name) => {
          await api.renameWebhook(recordId, token.id, name);
          reload();
        }}
        onRevoke={setRevoking}
      />
    );
  }

  return (
    <InfoCard
      title={title}
      action={
        manage.allowed && (
          <Button
            color="primary"
            variant="outlined"
            startIcon={<AddIcon />}
            onClick={() => setGenerating(true)}
            style={{ margin: 16 }}
          >
            Generate webhook
          </Button>
        )
      }
    >
      {content}
      {manage.allowed && (
        <GenerateWebhookDialog
          recordId={recordId}
          open={generating}
          onClose={() => setGenerating(false)}
          onGenerated={reload}
        />
      )}
      {revoking && (
        <RevokeWebhookDialog
          token={revoking}
          onClose={() => setRevoking(undefined)}
          onRevoked={() => {
            setRevoking(undefined);
            reload();
          }}
        />
      )}
    </InfoCard>
  );
}
