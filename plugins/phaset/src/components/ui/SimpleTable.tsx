import { InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

export type SimpleColumn<T> = {
  title: string;
  render: (row: T) => ReactNode;
};

/**
 * A small static table in a card, for lists that need no sorting or paging
 * (the core-components Table is kept for the sortable ones).
 */
export function SimpleTable<T>(props: {
  title: string;
  columns: SimpleColumn<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
  empty: string;
}) {
  const { title, columns, rows, rowKey, empty } = props;
  return (
    <InfoCard title={title} noPadding>
      {rows.length === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ padding: 16 }}
        >
          {empty}
        </Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              {columns.map(column => (
                <TableCell key={column.title}>{column.title}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row, index) => (
              <TableRow key={rowKey(row, index)}>
                {columns.map(column => (
                  <TableCell key={column.title}>{column.render(row)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
