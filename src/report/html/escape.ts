import { createHash } from 'node:crypto';
import { stripEscapes } from '../format.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes the five characters that can end a text node or an attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Server-controlled or user text for the page: terminal escapes removed and
 * control characters made visible (as on the console), then HTML-escaped.
 */
export function text(s: string): string {
  return escapeHtml(stripEscapes(s));
}

/**
 * JSON for a `<script type="application/json">` block. `<`, `>` and `&` become
 * \u escapes so no `</script>` or `<!--` can appear in the block whatever the
 * data holds; U+2028/2029 too, for the benefit of anything that reads the
 * block as a script. JSON.parse restores every one of them.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A CSP source expression allowing exactly this inline `<script>`/`<style>` text. */
export function cspHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;
}
