/**
 * The reporters to use: a file reporter never silences the console (a CI log with nothing in it
 * hides why a job failed); only --quiet leaves the console out when files are asked for.
 */
export function withConsole(asked: readonly string[] | undefined, quiet: boolean): string[] {
  const list = asked?.length ? [...asked] : [];
  const hasConsole = list.some((r) => r.trim() === 'console');
  if (!hasConsole && (!quiet || list.length === 0)) list.unshift('console');
  return list;
}
