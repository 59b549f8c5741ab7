import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Close from '@material-ui/icons/Close';
import { useEffect, useState } from 'react';
import { FactItem, FactListKind, phasetApiRef, TimeWindow } from '../../api';
import { formatDate } from '../ui';
import { FACT_COLUMNS, FACT_LISTS } from './columns';
import { FactListRequest, useFactList } from './useFactList';

/** Items per request: a window of one Record rarely has more. */
const PAGE_SIZE = 200;

const useStyles = makeStyles(theme => ({
  paper: {
    width: 'min(1100px, 100vw)',
    padding: theme.spacing(2, 3),
    background: theme.palette.background.default,
  },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

type Loaded = {
  items: Array<FactItem<FactListKind>>;
  nextCursor?: string;
};

function useFactPages(request: FactListRequest, window: TimeWindow) {
  const api = useApi(phasetApiRef);
  const [state, setState] = useState<{
    loaded?: Loaded;
    loading: boolean;
    error?: Error;
  }>({ loading: true });
  const key = `${request.kind}|${
    request.recordId
  }|${window.from.getTime()}|${window.to.getTime()}`;

  const load = async (previous?: Loaded) => {
    setState(s => ({ ...s, loading: true }));
    try {
      const page = await api.listFacts(request.recordId, request.kind, window, {
        limit: PAGE_SIZE,
        cursor: previous?.nextCursor,
      });
      setState({
        loading: false,
        loaded: {
          items: [...(previous?.items ?? []), ...page.items],
          nextCursor: page.nextCursor,
        },
      });
    } catch (error) {
      setState({ loading: false, error: error as Error });
    }
  };
  useEffect(() => {
    setState({ loading: true });
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  return { ...state, more: () => load(state.loaded) };
}

function FactListBody(props: { request: FactListRequest; window: TimeWindow }) {
  const { request, window } = props;
  const list = FACT_LISTS[request.kind];
  const { loaded, loading, error, more } = useFactPages(request, window);
  if (error) return <ResponseErrorPanel error={error} />;
  if (!loaded) return <Progress />;
  const count = loaded.items.length;
  const [one, many] = list.noun;
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        <strong data-testid="fact-list-count">
          {count}
          {loaded.nextCursor ? '+' : ''}
        </strong>{' '}
        {count === 1 ? one : many}. {list.order} Sort by any column.
      </Typography>
      {count === 0 ? (
        <Typography variant="body1" data-testid="fact-list-empty">
          {list.empty}
        </Typography>
      ) : (
        <Table
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            toolbar: false,
          }}
          columns={
            FACT_COLUMNS[request.kind] as TableColumn<FactItem<FactListKind>>[]
          }
          data={loaded.items}
        />
      )}
      {loaded.nextCursor && (
        <Box mt={2}>
          <Button variant="outlined" onClick={more} disabled={loading}>
            Load {PAGE_SIZE} more
          </Button>
        </Box>
      )}
    </>
  );
}

/**
 * The list behind a number, in a drawer over the page: opened from a tile,
 * a chart's bucket or a table cell (useFactList), for the page's window or
 * the bucket's.
 */
export function FactListDrawer(props: {
  window: TimeWindow;
  /** A name for the Record in the title, where the page shows several. */
  recordName?: (recordId: string) => string | undefined;
}) {
  const { request, close } = useFactList();
  const classes = useStyles();
  const window = request?.window ?? props.window;
  const name = request && props.recordName?.(request.recordId);
  return (
    <Drawer
      anchor="right"
      open={request !== undefined}
      onClose={close}
      classes={{ paper: classes.paper }}
    >
      {request && (
        <div
          data-testid="fact-list"
          aria-label={FACT_LISTS[request.kind].title}
        >
          <div className={classes.header}>
            <div>
              <Typography variant="h5" component="h2">
                {FACT_LISTS[request.kind].title}
                {name ? ` of ${name}` : ''}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                {formatDate(window.from)} –{' '}
                {formatDate(new Date(window.to.getTime() - 1))}
                {request.window ? ' (one bucket of the chart)' : ''}
              </Typography>
            </div>
            <IconButton aria-label="Close the list" onClick={close}>
              <Close />
            </IconButton>
          </div>
          <FactListBody request={request} window={window} />
        </div>
      )}
    </Drawer>
  );
}
