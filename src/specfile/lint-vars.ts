import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { chainOrder } from './chain-order.js';
import type { SpecDocument } from './model.js';
import { BUILTIN_VARS } from './templates.js';

/**
 * Every `{{name}}` must be defined before its step runs: by an earlier
 * step's `extract`, by the environment, or as a built-in. After a `use:`
 * step any name may have been imported, so the most that is said is a
 * warning; the same when the name may still come from the environment.
 */
/** What the variable rules read of the lint context (`LintContext` in lint.ts extends it). */
export interface VariablesContext {
  /** Variables the environment, config or --var define. */
  knownVars: ReadonlySet<string>;
  /** An unknown variable may still be set at run time (VERIFY_VAR_x): warn instead of failing. */
  mayComeFromEnv?: boolean;
  /** Folder of the spec file; `swagger:` and `use:` are relative to it. */
  specDir: string;
  /**
   * Variables a `use:` target exports (everything its chain extracts, itself and through its
   * own uses), when it can be read; undefined when it cannot.
   */
  exportsOf?(absPath: string): ReadonlySet<string> | undefined;
}

export function lintVariables(doc: SpecDocument, ctx: VariablesContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ordered = chainOrder(doc.steps);
  const definedBy = new Map<string, string>();
  const laterDefinedBy = new Map<string, string>();
  for (const s of ordered) for (const name of Object.keys(s.step.extract ?? {})) if (!laterDefinedBy.has(name)) laterDefinedBy.set(name, s.step.id);
  let afterUse: string | undefined;
  const reported = new Set<string>();

  for (const s of ordered) {
    for (const t of s.templates) {
      const name = t.name;
      if (name.startsWith('$')) {
        if (!BUILTIN_VARS.has(name)) {
          const near = didYouMean(name, BUILTIN_VARS);
          out.push(
            diag('error', 'undefined-var', `unknown built-in {{${name}}}`, {
              span: t.span,
              hint: near ? `did you mean {{${near}}}?` : `built-ins are ${[...BUILTIN_VARS].map((b) => `{{${b}}}`).join(', ')}`,
            }),
          );
        }
        continue;
      }
      if (definedBy.has(name) || ctx.knownVars.has(name)) continue;
      // One finding per name and step is enough; the first use is the one to fix.
      const key = `${s.step.id}\u0000${name}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const later = laterDefinedBy.get(name);
      const laterNote = later !== undefined ? ` (step "${later}" extracts it, but runs later)` : '';
      if (afterUse !== undefined) {
        out.push(
          diag('warning', 'maybe-undefined-var', `{{${name}}} is not defined by an earlier step; it may come from use: ${afterUse}`, {
            span: t.span,
            hint: `make sure ${afterUse} extracts ${name}, or define it in the environment`,
          }),
        );
      } else if (ctx.mayComeFromEnv) {
        out.push(
          diag('warning', 'maybe-undefined-var', `{{${name}}} is not extracted by an earlier step nor set in the config${laterNote}`, {
            span: t.span,
            hint: `set it with --var ${name}=..., VERIFY_VAR_${name}, or vars: in verify.config.yaml, or extract it in a Prerequisites step`,
          }),
        );
      } else {
        out.push(
          diag('error', 'undefined-var', `{{${name}}} is used before anything defines it${laterNote}`, {
            span: t.span,
            hint: `extract ${name} in an earlier step (Prerequisites run first), or define it in the environment (vars:)`,
          }),
        );
      }
    }
    if (typeof s.step.use === 'string') {
      const exported = ctx.exportsOf?.(path.resolve(ctx.specDir, s.step.use));
      // A target that can be read says exactly what it provides; otherwise anything may come from it.
      if (exported) for (const name of exported) definedBy.set(name, s.step.id);
      else afterUse ??= s.step.use;
    }
    for (const name of Object.keys(s.step.extract ?? {})) definedBy.set(name, s.step.id);
  }
  return out;
}
