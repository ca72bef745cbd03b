"use client";
import type { ReactTable, Row, RowData, TableFeatures } from "@tanstack/react-table";
import { cn } from "./cn";

/** A row's cells in its visible columns (all of them for a table without column visibility). */
function visibleCells<F extends TableFeatures, T extends RowData>(row: Row<F, T>) {
  const r = row as Row<F, T> & { getVisibleCells?: () => ReturnType<Row<F, T>["getAllCells"]> };
  return r.getVisibleCells?.() ?? r.getAllCells();
}

/** Renders a TanStack table; state, sorting and paging belong to whoever builds `table`. */
export function DataTable<F extends TableFeatures, T extends RowData>({
  table,
  rowTestId,
  selected,
  className,
}: {
  table: ReactTable<F, T, unknown>;
  rowTestId?: (row: T) => string;
  /** Row ids currently selected (highlighted). */
  selected?: Record<string, boolean>;
  className?: string;
}) {
  return (
    <div className={cn("relative overflow-x-auto", className)}>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="border-b border-zinc-200 dark:border-zinc-800">
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="px-2 py-2.5 font-medium whitespace-nowrap first:pl-4 last:sticky last:right-0 last:bg-white last:pr-4 dark:last:bg-zinc-900">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-testid={rowTestId?.(row.original)}
              aria-selected={selected?.[row.id] || undefined}
              className="border-b border-zinc-100 align-top last:border-0 hover:bg-zinc-50/60 aria-selected:bg-indigo-50/60 dark:border-zinc-800/60 dark:hover:bg-zinc-800/30 dark:aria-selected:bg-indigo-950/40"
            >
              {visibleCells(row).map((cell) => (
                <td key={cell.id} className="px-2 py-3 first:pl-4 last:sticky last:right-0 last:bg-white last:pr-4 dark:last:bg-zinc-900">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
