/**
 * Where a value sits in verify.config.yaml: its keys and indexes from the root
 * (`['apis', 'platform', 'tokens', 'staff', 'env']`), mapped back to a file
 * position when a problem is reported. Shared by the validators
 * (config-schema.ts, token-provider.ts), the loader and the resolver.
 */
export type KeyPath = (string | number)[];
/** How a validator reports a problem. `at: 'key'` points at the key itself (unknown keys), else at its value. */
export type Report = (message: string, parts: KeyPath, extra?: { hint?: string; at?: 'key'; warning?: true }) => void;
