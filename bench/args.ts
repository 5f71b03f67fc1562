/** `--name N` from the command line, or the default. */
export function numberOption(name: string, dflt: number, argv: string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(argv[i + 1]);
}
