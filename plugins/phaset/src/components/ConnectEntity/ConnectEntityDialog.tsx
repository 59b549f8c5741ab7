import { CodeSnippet, Progress } from '@backstage/core-components';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { IssuedToken, phasetApiRef, PhasetRecord } from '../../api';
import { actionErrorMessage, CopyField } from '../Webhooks';
import {
  CiTarget,
  curlSnippet,
  githubActionsSnippet,
  TOKEN_SECRET,
} from './ciSnippets';

/** The organisations Records already belong to; the backend has no list of its own. */
function useKnownOrganizations() {
  const api = useApi(phasetApiRef);
  return useAsync(async () => {
    const records = await api.listRecords();
    return [...new Set(records.map(r => r.organizationId))].sort();
  }, [api]);
}

function ChooseOrganization(props: {
  entityRef: string;
  onConnect: (organization: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { entityRef, onConnect, onCancel } = props;
  const known = useKnownOrganizations();
  const [typed, setTyped] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const organizations = known.value ?? [];
  const organization = typed ?? organizations[0] ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onConnect(organization.trim());
    } catch (e) {
      setError(actionErrorMessage(e));
      setBusy(false);
    }
  };
  if (known.loading) {
    return (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Creates a Phaset Record linked to <code>{entityRef}</code> and a CI
          token for it, then shows the CI step that sends its manifest,
          Standards results and deployments.
        </Typography>
        <TextField
          select={organizations.length > 1}
          fullWidth
          margin="normal"
          label="Organisation"
          value={organization}
          onChange={e => setTyped(e.target.value)}
          inputProps={{ 'aria-label': 'Organisation' }}
          helperText="One of the organisations configured under phaset.organizations"
        >
          {organizations.length > 1 &&
            organizations.map(id => (
              <MenuItem key={id} value={id}>
                {id}
              </MenuItem>
            ))}
        </TextField>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          type="submit"
          color="primary"
          variant="contained"
          disabled={busy}
        >
          Connect
        </Button>
      </DialogActions>
    </form>
  );
}

type Connected = {
  record: PhasetRecord;
  target: CiTarget;
  token?: IssuedToken;
  tokenError?: string;
};

function ShowSnippets({ connected }: { connected: Connected }) {
  const { record, target, token, tokenError } = connected;
  return (
    <DialogContent>
      <Alert severity="success" style={{ marginBottom: 16 }}>
        Record <code>{record.id}</code> created and linked. The catalog picks
        the link up within seconds: reload the page to see the Phaset tabs.
      </Alert>
      {token ? (
        <>
          <Alert severity="warning" style={{ marginBottom: 16 }}>
            Copy the token now into your CI's secrets as{' '}
            <code>{TOKEN_SECRET}</code>: Phaset stores only its hash and cannot
            show it again.
          </Alert>
          <CopyField label="CI token" value={token.token} />
        </>
      ) : (
        <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
          The Record exists, but no CI token could be issued: {tokenError}
        </Alert>
      )}
      <CopyField label="Endpoint" value={target.endpoint} />
      <CopyField label="Organisation id" value={target.organizationId} />
      <CopyField label="Record id" value={target.recordId} />
      <Typography variant="subtitle2" gutterBottom>
        GitHub Actions (Phaset's CI action)
      </Typography>
      <CodeSnippet
        text={githubActionsSnippet(target)}
        language="yaml"
        showCopyCodeButton
      />
      <Typography variant="subtitle2" gutterBottom style={{ marginTop: 16 }}>
        Any other CI (curl)
      </Typography>
      <CodeSnippet
        text={curlSnippet(target)}
        language="bash"
        showCopyCodeButton
      />
    </DialogContent>
  );
}

/**
 * "Connect to Phaset": creates the Record for `entityRef`, issues a CI token
 * and shows, once, the CI snippet and curl calls that use it.
 */
export function ConnectEntityDialog(props: {
  entityRef: string;
  /** The Record id the entity's annotation names, if it names one. */
  recordId?: string;
  open: boolean;
  onClose: () => void;
}) {
  const { entityRef, recordId, open, onClose } = props;
  const api = useApi(phasetApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const [connected, setConnected] = useState<Connected>();
  const connect = async (organization: string) => {
    const record = await api.createRecord({
      organization,
      entityRef,
      ...(recordId && { id: recordId }),
    });
    const target: CiTarget = {
      endpoint: await discoveryApi.getBaseUrl('phaset'),
      organizationId: record.organizationId,
      recordId: record.id,
    };
    try {
      const token = await api.issueToken(record.id, 'CI');
      setConnected({ record, target, token });
    } catch (e) {
      setConnected({ record, target, tokenError: actionErrorMessage(e) });
    }
  };
  return (
    <Dialog
      open={open}
      // The token is shown once: only "Done" closes the dialog then.
      onClose={connected ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="phaset-connect-title"
    >
      <DialogTitle id="phaset-connect-title">
        {connected ? 'Connected to Phaset' : 'Connect to Phaset'}
      </DialogTitle>
      {connected ? (
        <>
          <ShowSnippets connected={connected} />
          <DialogActions>
            <Button onClick={onClose}>Done</Button>
            <Button
              color="primary"
              variant="contained"
              onClick={() => window.location.reload()}
            >
              Done, reload the page
            </Button>
          </DialogActions>
        </>
      ) : (
        <ChooseOrganization
          entityRef={entityRef}
          onConnect={connect}
          onCancel={onClose}
        />
      )}
    </Dialog>
  );
}
