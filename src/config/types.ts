/**
 * A template variable's value. Config `vars:` keep their YAML type (25 is a
 * number), `--var name:=<JSON>` gives a typed value, `--var name=value` and
 * VERIFY_VAR_name a string. A bigint is an integer beyond 2^53, kept exact.
 */
export type VarValue = string | number | boolean | bigint | null;

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TokenProvider } from './token-provider.js';

/**
 * Environments come from verify.config.yaml (searched upward from the working
 * directory). Values may use ${NAME} to read environment variables (after
 * .env is loaded); the built-in sandbox provides VERIFY_SANDBOX_URL and its
 * own tokens when it is started.
 */

export interface AuthConfig {
  /** Header name. Default "Authorization". */
  header: string;
  /** Prefix before the token: "Bearer" (default), "Basic" (value "user:pass" is base64-encoded), or "" for raw (X-API-Key style). */
  scheme: string;
}

export interface TokenSource {
  /** Environment variable holding the token. VERIFY_TOKEN_<TYPE> is always tried last. */
  env?: string;
  /** Per-token auth override. */
  auth?: AuthConfig;
  /** Fetches the token during the run (oauth2 or a login spec) instead of reading a variable. */
  provider?: TokenProvider;
}

export interface ApiConfig {
  name: string;
  /** Primary gateway, e.g. https://host/apigw */
  baseUrl: string;
  /** Fallback gateway, e.g. https://host/api2 */
  fallbackUrl?: string;
  auth: AuthConfig;
  /** Token type (lower-case) -> where it comes from. */
  tokens: Record<string, TokenSource>;
  vars: Record<string, VarValue>;
  /** Spec files under this folder (absolute, resolved against the config file) belong to this API. */
  specsDir?: string;
}

export interface Environment {
  name: string;
  /** True when this environment talks to the built-in sandbox (started in-process). */
  sandbox: boolean;
  apis: ApiConfig[];
  /** Variables for every API (API vars win over these; --var wins over both). */
  vars: Record<string, VarValue>;
  /**
   * APIs the config names that this environment cannot use (no baseUrl, or an
   * unset variable in their settings). A spec that maps to one gets `reason`.
   */
  unavailable?: UnavailableApi[];
  /**
   * No verify.config.yaml: one API built from --base-url / VERIFY_BASE_URL covers every spec
   * given, whatever its `api:` key says.
   */
  adHoc?: boolean;
}

export interface UnavailableApi {
  name: string;
  specsDir?: string;
  reason: Diagnostic;
}

export interface ConfigOverrides {
  baseUrl?: string;
  fallbackUrl?: string;
  vars?: Record<string, VarValue>;
}

export interface LoadedConfig {
  /** Absolute path of verify.config.yaml, if one was found. */
  file?: string;
  /** Directory relative paths in the config resolve against (config dir, or cwd). */
  rootDir: string;
  environment?: Environment;
  diagnostics: Diagnostic[];
}
