/** What every output shows in place of a secret. */
export const MASK = '***';

const SECRET_NAME = /token|secret|password|passwd|key|auth|credential|session|cookie/i;

/**
 * True when a variable, header or parameter name suggests its value is a secret ("access_token",
 * "X-API-Key", "sessionId", "Cookie"). The one owner of this rule: extraction, config and --var
 * variables, `use:` imports, request headers and `--dry-run` all ask here.
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
