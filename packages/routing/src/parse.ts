import { readFile } from 'node:fs/promises';
import { Ajv, type ValidateFunction } from 'ajv';
import { AnswerdeskError, reasonOf } from '@answerdesk/types';
import { semanticProblem } from './checks.js';
import { normalizeRuleFile } from './normalize.js';
import { ruleSchema, type RuleFile } from './schema.js';
import { problemFromAjv, type Problem } from './schema-errors.js';
import { formatOfFile, parseText, sniffFormat, type DataPath, type RulesFormat } from './syntax.js';
import type { RuleSet } from './types.js';
import { placeOf } from './where.js';

export interface ParseRulesOptions {
  /** Name used in error messages; its extension (.yaml, .yml, .json) picks the format. */
  file?: string;
  /** Overrides the extension; without either, text starting with `{` is JSON and anything else YAML. */
  format?: RulesFormat;
}

/**
 * Read a rule file's text into a checked, expanded `RuleSet`. Pure.
 *
 * @throws AnswerdeskError `ADK_RULES_SYNTAX` (with the line) when the text is not YAML/JSON;
 *   `ADK_RULES_INVALID` naming the rule (`rule 3 "gift-certificates"`) and the field
 *   (`then.line`) when it breaks the schema or a semantic check (duplicate names,
 *   unknown directories or roles, bad templates or durations).
 */
export function parseRules(text: string, options: ParseRulesOptions = {}): RuleSet {
  const file = options.file ?? '<input>';
  const format = options.format ?? formatOfFile(file) ?? sniffFormat(text);
  const parsed = parseText(text, format, file);
  const data = parsed.data;

  const validate = schemaValidator();
  if (!validate(data)) {
    throw invalid(file, data, problemFromAjv(validate.errors ?? [], data, parsed.lineOf), parsed.lineOf);
  }
  const ruleFile = data as unknown as RuleFile;
  const problem = semanticProblem(ruleFile);
  if (problem) throw invalid(file, data, problem, parsed.lineOf);
  return normalizeRuleFile(ruleFile, file);
}

let compiled: ValidateFunction | undefined;

/**
 * The schema compiled once, on first use (compiling takes tens of milliseconds).
 * A write-once memo of a constant: every caller gets the same pure checker, and
 * ajv's `errors` is read synchronously right after the call that set it.
 */
function schemaValidator(): ValidateFunction {
  // strictRequired is off: `anyOf: [{ required: [address] }, …]` names properties declared beside it, which is what we mean.
  compiled ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true, strictRequired: false }).compile(ruleSchema);
  return compiled;
}

function invalid(file: string, data: unknown, problem: Problem, lineOf: (path: DataPath) => number | undefined): AnswerdeskError {
  const { rule, field } = placeOf(problem.path, data);
  const line = lineOf(problem.path);
  return new AnswerdeskError('ADK_RULES_INVALID', {
    file,
    rule,
    field,
    reason: line === undefined ? problem.reason : `${problem.reason} (line ${line})`,
    line,
  });
}

/**
 * Read and parse a rule file (`.yaml`, `.yml` or `.json`; other names are sniffed).
 *
 * @throws AnswerdeskError `ADK_PATH_NOT_FOUND` when nothing is at `path`, `ADK_FILE_UNREADABLE`
 *   when it cannot be read, and whatever `parseRules` throws.
 */
export async function loadRules(path: string): Promise<RuleSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AnswerdeskError('ADK_PATH_NOT_FOUND', { path }, { cause: error });
    throw new AnswerdeskError('ADK_FILE_UNREADABLE', { file: path, reason: reasonOf(error) }, { cause: error });
  }
  return parseRules(text, { file: path });
}
