import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
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
import {
  GeneratedWebhook,
  phasetApiRef,
  WebhookSourceDescription,
} from '../../api';
import { actionErrorMessage } from './actionError';
import { CopyField } from './CopyField';
import { WebhookSetupSteps } from './WebhookSetupSteps';

/** Tool names short enough for a menu; the registry's titles may explain more. */
function toolLabel(source: WebhookSourceDescription): string {
  return source.id === 'ci' ? 'CI (Phaset events)' : source.title;
}

function PickTool(props: {
  sources: WebhookSourceDescription[];
  onGenerate: (input: { name: string; source: string }) => Promise<void>;
  onCancel: () => void;
}) {
  const { sources, onGenerate, onCancel } = props;
  const [source, setSource] = useState(sources[0]?.id ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const chosen = sources.find(s => s.id === source);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onGenerate({
        source,
        name: name.trim() || `${chosen ? toolLabel(chosen) : source} webhook`,
      });
    } catch (e) {
      setError(actionErrorMessage(e));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <DialogContent>
        <Typography variant="body2" color="textSecondary">
          A webhook is a token of this Record for one tool: the tool posts its
          events to the webhook's URL. Revoking it stops it at once.
        </Typography>
        <TextField
          select
          fullWidth
          margin="normal"
          label="Tool"
          value={source}
          onChange={e => setSource(e.target.value)}
          SelectProps={{ SelectDisplayProps: { 'aria-label': 'Tool' } as any }}
          helperText={
            chosen?.signed
              ? `${toolLabel(
                  chosen,
                )} signs each delivery: you get a signing secret.`
              : 'Unsigned: the secret token in the URL authenticates.'
          }
        >
          {sources.map(s => (
            <MenuItem key={s.id} value={s.id}>
              {toolLabel(s)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          fullWidth
          margin="normal"
          label="Name"
          placeholder={chosen ? `${toolLabel(chosen)} webhook` : ''}
          helperText="Letters, digits, spaces and . : @ - _ (up to 100); unique per Record."
          value={name}
          onChange={e => setName(e.target.value)}
          inputProps={{ 'aria-label': 'Name' }}
        />
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
          disabled={busy || !source}
        >
          Generate
        </Button>
      </DialogActions>
    </form>
  );
}

function ShowOnce(props: {
  webhook: GeneratedWebhook;
  source?: WebhookSourceDescription;
  onDone: () => void;
}) {
  const { webhook, source, onDone } = props;
  return (
    <>
      <DialogContent>
        <Alert severity="warning" style={{ marginBottom: 16 }}>
          Copy the URL{webhook.signingSecret ? ' and the signing secret' : ''}{' '}
          now: Phaset stores only their hashes and cannot show them again.
        </Alert>
        <CopyField label="Webhook URL" value={webhook.url} />
        {webhook.signingSecret && (
          <CopyField label="Signing secret" value={webhook.signingSecret} />
        )}
        {source && <WebhookSetupSteps source={source} webhook={webhook} />}
      </DialogContent>
      <DialogActions>
        <Button color="primary" variant="contained" onClick={onDone}>
          Done
        </Button>
      </DialogActions>
    </>
  );
}

/**
 * "Generate webhook": pick the tool, then see the URL and signing secret once
 * with that tool's setup steps.
 */
export function GenerateWebhookDialog(props: {
  recordId: string;
  open: boolean;
  onClose: () => void;
  /** Called once the webhook exists, so lists can reload. */
  onGenerated: (webhook: GeneratedWebhook) => void;
}) {
  const { recordId, open, onClose, onGenerated } = props;
  const api = useApi(phasetApiRef);
  const sources = useAsync(() => api.getWebhookSources(), [api]);
  const [generated, setGenerated] = useState<GeneratedWebhook>();
  const close = () => {
    setGenerated(undefined);
    onClose();
  };
  const generate = async (input: { name: string; source: string }) => {
    const webhook = await api.createWebhook(recordId, input);
    setGenerated(webhook);
    onGenerated(webhook);
  };
  let body;
  if (generated) {
    body = (
      <ShowOnce
        webhook={generated}
        source={sources.value?.find(s => s.id === generated.source)}
        onDone={close}
      />
    );
  } else if (sources.loading) {
    body = (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  } else if (sources.error) {
    body = (
      <>
        <DialogContent>
          <Alert severity="error" role="alert">
            Could not load the tools a webhook can be generated for:{' '}
            {actionErrorMessage(sources.error)}
          </Alert>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Close</Button>
        </DialogActions>
      </>
    );
  } else {
    body = (
      <PickTool
        sources={sources.value ?? []}
        onGenerate={generate}
        onCancel={close}
      />
    );
  }
  return (
    <Dialog
      open={open}
      // A generated secret must not vanish on a stray click outside.
      onClose={generated ? undefined : close}
      fullWidth
      maxWidth="md"
      aria-labelledby="phaset-generate-webhook-title"
    >
      <DialogTitle id="phaset-generate-webhook-title">
        {generated
          ? `Webhook "${generated.name}" generated`
          : 'Generate webhook'}
      </DialogTitle>
      {body}
    </Dialog>
  );
}
