/**
 * `${NAME}` and `${NAME:-default}` in config values, read from the
 * environment (after .env is loaded). An unset or empty NAME without a
 * default is reported, never silently blanked: an empty gateway URL would
 * send requests somewhere nobody meant. `$${` writes a literal `${`.
 */
export function expandVars(value: string, env: Record<string, string | undefined>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const out = value.replace(/\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string | undefined, dflt: string | undefined) => {
    if (name === undefined) return whole.slice(1);
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (dflt !== undefined) return dflt;
    if (!missing.includes(name)) missing.push(name);
    return '';
  });
  return { value: out, missing };
}
