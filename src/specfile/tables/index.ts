/** Owned Markdown tables of a spec file (docs/spec-format.md, "Owned tables"). No run, no HTTP. */
export { KINDS, TABLE_KINDS, NOT_OBSERVED_MARK, isTableKind, type TableKind, type ColumnDef, type KindDef } from './kinds.js';
export { findOwnedTables, mayHaveOwnedTables, type OwnedRegion, type OwnedTables, type OwnedProblem } from './owned.js';
export { mergeTable, type ObservedRow, type ObservedTable, type MergeOptions } from './merge.js';
export { applyObservedTables, maskOwnedTables, type TableChange, type AppliedTables } from './apply.js';
export { adoptTables, type AdoptResult, type Adopted } from './adopt.js';
