import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import ListIcon from '@material-ui/icons/List';
import type { ReactNode } from 'react';
import type { FactListKind } from '../../api';
import { useFactList } from './useFactList';

/** Opens the list behind a number, for the page's window. */
export function FactListButton(props: {
  kind: FactListKind;
  recordId: string;
  label: string;
}) {
  const { kind, recordId, label } = props;
  const { open } = useFactList();
  return (
    <Button
      size="small"
      color="primary"
      startIcon={<ListIcon fontSize="small" />}
      onClick={() => open({ kind, recordId })}
      style={{
        marginLeft: -4,
        textTransform: 'none',
        textAlign: 'left',
        justifyContent: 'flex-start',
      }}
    >
      {label}
    </Button>
  );
}

/** A number in a table cell that opens the list behind it. */
export function FactListLink(props: {
  kind: FactListKind;
  recordId: string;
  label: string;
  children: ReactNode;
}) {
  const { kind, recordId, label, children } = props;
  const { open } = useFactList();
  return (
    <Link
      component="button"
      variant="body2"
      aria-label={label}
      title={label}
      onClick={() => open({ kind, recordId })}
      style={{ textAlign: 'left', whiteSpace: 'nowrap' }}
    >
      {children}
    </Link>
  );
}
