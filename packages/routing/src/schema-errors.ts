import type { ErrorObject } from 'ajv';
import type { DataPath } from './syntax.js';
import { describeValue } from './where.js';

/** One problem in a rule file: where (a data path) and what to fix. */
export interface Problem {
  path: DataPath;
  reason: string;
}

/** An error inside a branch of the `anyOf` keyword (`…/anyOf/1/required`), not under a property named anyOf (`…/properties/anyOf/minItems`). */
const ANYOF_BRANCH = /(?<!\/properties)\/anyOf\/\d+(\/|$)/;

/** Which of several errors on one line to report: a misspelt key explains the "missing" key next to it. */
const KEYWORD_RANK: Record<string, number> = { additionalProperties: 0, required: 2 };

/**
 * The one ajv error worth reporting, in people's words. Errors inside `anyOf`
 * branches are dropped (the `anyOf` error itself says what is wanted); of the
 * rest, the first in the file wins, so fixing errors top to bottom works.
 */
export function problemFromAjv(errors: readonly ErrorObject[], data: unknown, lineOf: (path: DataPath) => number | undefined): Problem {
  // An unknown key next to a missing one is usually the same key misspelt: report the misspelling.
  const misspelt = new Set(errors.filter((error) => error.keyword === 'additionalProperties').map((error) => error.instancePath));
  const candidates = errors
    .filter((error) => !ANYOF_BRANCH.test(error.schemaPath))
    .filter((error) => !(error.keyword === 'required' && misspelt.has(error.instancePath)))
    .map((error, order) => {
      const problem = describeAjvError(error, data);
      return { problem, order, line: lineOf(problem.path) ?? Number.MAX_SAFE_INTEGER, rank: KEYWORD_RANK[error.keyword] ?? 1 };
    })
    .sort((a, b) => a.line - b.line || a.rank - b.rank || a.order - b.order);
  return candidates[0]?.problem ?? { path: [], reason: 'does not match the rule file format' };
}

function describeAjvError(error: ErrorObject, data: unknown): Problem {
  const path = pointerToPath(error.instancePath, data);
  const schema = (error.parentSchema ?? {}) as { description?: string; properties?: Record<string, { description?: string }> };
  const hint = schema.description;
  const found = `is ${describeValue(error.data)}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const wanted = schema.properties?.[missing]?.description;
      return { path: [...path, missing], reason: wanted ? `is missing; ${wanted}` : 'is missing' };
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const known = Object.keys(schema.properties ?? {});
      if (known.length === 0) return { path: [...path, extra], reason: 'is not allowed here' };
      const guess = closest(extra, known);
      const meant = guess ? ` (did you mean "${guess}"?)` : '';
      // Under `when.entities` the keys are entity kinds: say so, and list them all.
      if (path.at(-2) === 'when' && path.at(-1) === 'entities') return { path: [...path, extra], reason: `is not an entity kind${meant}; use one of ${known.join(', ')}` };
      return { path: [...path, extra], reason: `is not a known key here${meant}; use ${known.join(', ')}` };
    }
    case 'anyOf':
      return { path, reason: hint ?? 'has the wrong shape' };
    case 'type':
    case 'enum':
    case 'const':
    case 'pattern':
    case 'minItems':
    case 'minProperties':
    case 'maxProperties':
      return { path, reason: hint ? `${found}; ${hint}` : `${found}; it ${error.message ?? 'is not allowed'}` };
    default:
      return { path, reason: `${found}; it ${error.message ?? 'is not allowed'}` };
  }
}

/** `/rules/2/then/line` → `['rules', 2, 'then', 'line']`: indexes become numbers where the data holds a list. */
function pointerToPath(pointer: string, data: unknown): DataPath {
  if (pointer === '') return [];
  const path: DataPath = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      path.push(Number(key));
      node = node[Number(key)];
    } else {
      path.push(key);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

/** The known key a misspelt one was probably meant to be (case-insensitive edit distance ≤ 2). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. Pure. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitute));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
