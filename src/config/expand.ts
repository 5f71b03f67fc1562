/**
 * `${NAME}` and `${NAME:-default}` in config values, read from the
 * environment (after .env is loaded). Unset names are reported, not blanked.
 */
export function expandVars(value: string, env: Record<string, string | undefined>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, dflt: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (dflt !== undefined) return dflt;
    missing.push(name);
    return '';
  });
  return { value: out, missing };
}
