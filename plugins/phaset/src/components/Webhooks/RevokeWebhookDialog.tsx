import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { phasetApiRef, PhasetToken } from '../../api';
import { actionErrorMessage } from './actionError';

const plural = (count: number, one: string, many: string) =>
  `${count} ${count === 1 ? one : many}`;

/** What "also delete the data it sent" removes, as a count the user can weigh. */
function useDataToDelete(token: PhasetToken) {
  const api = useApi(phasetApiRef);
  const { value, loading, error } = useAsync(
    () => api.countTokenEvents(token.recordId, token.id),
    [api, token],
  );
  if (loading) return 'counting its events…';
  if (error || value === undefined) {
    // The events could not be counted: the accepted deliveries are the bound.
    return `the events of its ${plural(
      token.deliveriesAccepted,
      'accepted delivery',
      'accepted deliveries',
    )}`;
  }
  return plural(value, 'event', 'events');
}

/**
 * Revoking asks first; deleting the data it sent is a separate choice that
 * says how much that is.
 */
export function RevokeWebhookDialog(props: {
  token: PhasetToken;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { token, onClose, onRevoked } = props;
  const api = useApi(phasetApiRef);
  const [deleteData, setDeleteData] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const dataToDelete = useDataToDelete(token);
  const revoke = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.revokeWebhook(token.recordId, token.id, { deleteData });
      onRevoked();
    } catch (e) {
      setError(actionErrorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="phaset-revoke-webhook-title"
    >
      <DialogTitle id="phaset-revoke-webhook-title">
        Revoke "{token.name}"?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Requests with this token are refused (401) from now on. Whatever posts
          to it must be given a new webhook or token.
        </DialogContentText>
        <FormControlLabel
          control={
            <Checkbox
              checked={deleteData}
              onChange={e => setDeleteData(e.target.checked)}
              color="secondary"
            />
          }
          label={`Also delete the data it sent (${dataToDelete})`}
        />
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          onClick={revoke}
          color="secondary"
          variant="contained"
          disabled={busy}
        >
          {deleteData ? 'Revoke and delete data' : 'Revoke'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
