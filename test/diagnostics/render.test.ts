import { describe, expect, it } from 'vitest';
import { diag } from '../../src/diagnostics/diagnostic.js';
import { didYouMean, editDistance } from '../../src/diagnostics/did-you-mean.js';
import { renderDiagnostic } from '../../src/diagnostics/render.js';

const source = ['---', 'endpoint: "GET /x"', '---', '', '```yaml', 'steps:', '  - id: a', '    pathh: "/x"', '```'].join('\n');

describe('renderDiagnostic', () => {
  it('prints code, file:line:col, the source line and a caret under the key, hurl-style', () => {
    const d = diag('error', 'unknown-step-key', 'unknown step key "pathh"', {
      span: { file: 'specs/a.md', line: 8, col: 5 },
      hint: 'did you mean "path"?',
    });
    expect(renderDiagnostic(d, { source })).toBe(
      [
        'error[unknown-step-key]: unknown step key "pathh"',
        ' --> specs/a.md:8:5',
        '  |',
        '8 |     pathh: "/x"',
        '  |     ^^^^^ did you mean "path"?',
      ].join('\n'),
    );
  });

  it('falls back to the hint line without a source, and has no escape codes unless asked', () => {
    const d = diag('warning', 'unknown-key', 'something', { span: { file: 'a.md', line: 3, col: 1 }, hint: 'fix it' });
    const out = renderDiagnostic(d);
    expect(out).toContain('warning[unknown-key]: something');
    expect(out).toContain('a.md:3:1');
    expect(out).toContain('hint: fix it');
    expect(out).not.toMatch(/\u001b\[/);
    expect(renderDiagnostic(d, { color: true })).toMatch(/\u001b\[/);
  });

  it('uses the span end for the caret width when given', () => {
    const d = diag('error', 'bad-path', 'm', { span: { file: 'a.md', line: 2, col: 11, endLine: 2, endCol: 19 } });
    expect(renderDiagnostic(d, { source }).split('\n')[4]).toBe('  |           ^^^^^^^^');
  });
});

describe('didYouMean', () => {
  it('suggests a close candidate and nothing for a far one', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('pathh', ['path', 'params', 'method'])).toBe('path');
    expect(didYouMean('verfiedAt', ['verifiedAt', 'savedAt'])).toBe('verifiedAt');
    expect(didYouMean('zzzz', ['path', 'params'])).toBeUndefined();
  });
  it('ignores case differences when suggesting the canonical spelling', () => {
    expect(didYouMean('usefallbackapi', ['useFallbackApi'])).toBe('useFallbackApi');
  });
});
