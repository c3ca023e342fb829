/** Compact pipe tables: the densest form a model reads reliably. Cells are already rendered strings. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "Showing 20 of 57 …" with the way to get the rest; empty when nothing was cut. */
export function truncationNote(shown: number, total: number, how: string): string {
  return shown < total ? `Showing ${shown} of ${total}. ${how}` : '';
}

/** Join non-empty sections with blank lines. */
export function sections(...parts: (string | undefined | null | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}
