import IconButton from '@material-ui/core/IconButton';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import EditIcon from '@material-ui/icons/Edit';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { actionErrorMessage } from './actionError';

/** A name that can be renamed in place (when `onRename` is given). */
export function RenameField(props: {
  name: string;
  onRename?: (name: string) => Promise<void>;
}) {
  const { name, onRename } = props;
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const editing = draft !== undefined;
  // Keyboard focus moves from the edit button (now gone) into the field.
  useEffect(() => {
    if (editing) input.current?.focus();
  }, [editing]);
  if (draft === undefined) {
    return (
      <Box display="flex" alignItems="center">
        <Typography variant="body2">{name}</Typography>
        {onRename && (
          <IconButton
            size="small"
            aria-label={`Rename ${name}`}
            onClick={() => setDraft(name)}
          >
            <EditIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
    );
  }
  const cancel = () => {
    setDraft(undefined);
    setError(undefined);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() === name) {
      cancel();
      return;
    }
    setBusy(true);
    try {
      await onRename!(draft.trim());
      cancel();
    } catch (e) {
      setError(actionErrorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box component="form" onSubmit={save} display="flex" alignItems="center">
      <TextField
        size="small"
        inputRef={input}
        value={draft}
        onChange={e => setDraft(e.target.value)}
        onKeyDown={e => e.key === 'Escape' && cancel()}
        error={Boolean(error)}
        helperText={error}
        inputProps={{ 'aria-label': `New name for ${name}` }}
      />
      <IconButton
        size="small"
        type="submit"
        aria-label="Save name"
        disabled={busy}
      >
        <CheckIcon fontSize="small" />
      </IconButton>
      <IconButton size="small" aria-label="Cancel rename" onClick={cancel}>
        <CloseIcon fontSize="small" />
      </IconButton>
    </Box>
  );
}
