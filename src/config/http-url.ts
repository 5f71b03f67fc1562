/**
 * Why `url` cannot be used as an http(s) endpoint, or undefined when it can: not a URL, another
 * scheme, or credentials in it (they would be printed wherever the URL is). `credentialHint`
 * says where credentials belong instead, e.g. "configure a token instead".
 */
export function httpUrlProblem(url: string, credentialHint: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'is not an http(s) URL';
  if (u.username || u.password) return `must not contain credentials (${credentialHint})`;
  return undefined;
}
