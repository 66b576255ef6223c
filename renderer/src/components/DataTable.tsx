import type { CSSProperties, Key, ReactNode } from 'react';

export interface DataColumn<Row> {
  title: ReactNode;
  key?: Key;
  dataIndex?: keyof Row;
  width?: number;
  className?: string;
  /** One line, cut with … (the cell's title shows the whole text when it is a string). */
  ellipsis?: boolean;
  render?(value: unknown, row: Row, index: number): ReactNode;
}

interface Props<Row> {
  columns: DataColumn<Row>[];
  dataSource: readonly Row[];
  rowKey: keyof Row | ((row: Row) => Key);
  rowClassName?(row: Row): string;
  /** Fixed: columns keep their widths and long text wraps (or is cut) inside the cell. */
  tableLayout?: 'auto' | 'fixed';
  emptyText?: ReactNode;
  style?: CSSProperties;
  'data-testid'?: string;
}

/**
 * A plain table in the look of antd's small table, for the counter screen. antd's Table brings its
 * filter menus, tree, dropdown and pagination along (about 190 kB of script the counter never
 * uses); the counter's tables only list rows. Supervisor and IT panels, loaded on demand, keep antd's.
 */
export function DataTable<Row>({ columns, dataSource, rowKey, rowClassName, tableLayout, emptyText = '暂无数据', style, ...rest }: Props<Row>) {
  const keyOf = (row: Row): Key => (typeof rowKey === 'function' ? rowKey(row) : (row[rowKey] as Key));
  // Like antd: a column cut with … needs the fixed layout to know where to cut.
  const layout = tableLayout ?? (columns.some((c) => c.ellipsis) ? 'fixed' : 'auto');
  return (
    <div className="data-table" style={style} data-testid={rest['data-testid']}>
      <table style={{ tableLayout: layout }}>
        <colgroup>
          {columns.map((c, i) => (
            <col key={c.key ?? i} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c.key ?? i} className={c.className} scope="col">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dataSource.length ? (
            dataSource.map((row, index) => (
              <tr key={keyOf(row)} className={rowClassName?.(row) || undefined}>
                {columns.map((c, i) => {
                  const value = c.dataIndex !== undefined ? row[c.dataIndex] : undefined;
                  const content = c.render ? c.render(value, row, index) : (value as ReactNode);
                  return (
                    <td
                      key={c.key ?? i}
                      className={[c.className, c.ellipsis ? 'cell-ellipsis' : ''].filter(Boolean).join(' ') || undefined}
                      title={c.ellipsis && typeof content === 'string' ? content : undefined}
                    >
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))
          ) : (
            <tr>
              <td colSpan={columns.length} className="data-table-empty">
                {emptyText}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
