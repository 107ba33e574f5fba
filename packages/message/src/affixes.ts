/**
 * A hunspell word check for dictionaries nspell cannot load: nspell expands every affix of every
 * word up front, and with dictionary-it that never finishes (wooorm/nspell#9, #11). Checking the
 * other way round — strip a suffix or prefix the word ends or starts with, look the stem up with
 * that flag — needs only the stems in memory and is exact for affix files without continuation
 * classes, such as the Italian one. Single-character flags only (no `FLAG long|num`).
 */

interface AffixRule {
  flag: string;
  /** Letters the rule removes from the stem (empty for hunspell's `0`). */
  strip: string;
  /** Letters the rule adds to make the word. */
  add: string;
  /** What the stem must start (prefix) or end (suffix) with. */
  condition: RegExp;
  /** May combine with an affix of the other kind. */
  cross: boolean;
}

interface AffixTable {
  byAdd: Map<string, AffixRule[]>;
  longest: number;
}

function parseAffixes(aff: string): { prefixes: AffixTable; suffixes: AffixTable } {
  const prefixes: AffixTable = { byAdd: new Map(), longest: 0 };
  const suffixes: AffixTable = { byAdd: new Map(), longest: 0 };
  const cross = new Map<string, boolean>();
  for (const raw of aff.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    const [kind, flag] = fields;
    if ((kind !== 'PFX' && kind !== 'SFX') || !flag) continue;
    if (fields.length === 4 && /^\d+$/.test(fields[3]!)) {
      cross.set(`${kind}${flag}`, fields[2] === 'Y');
      continue;
    }
    if (fields.length < 5) continue;
    const strip = fields[2] === '0' ? '' : fields[2]!;
    const add = fields[3] === '0' ? '' : fields[3]!.split('/')[0]!;
    const condition = fields[4] === '.' ? '' : fields[4]!;
    let pattern: RegExp;
    try {
      pattern = new RegExp(kind === 'PFX' ? `^(?:${condition})` : `(?:${condition})$`, 'u');
    } catch {
      continue;
    }
    const table = kind === 'PFX' ? prefixes : suffixes;
    const rule: AffixRule = { flag, strip, add, condition: pattern, cross: cross.get(`${kind}${flag}`) ?? false };
    const list = table.byAdd.get(add);
    if (list) list.push(rule);
    else table.byAdd.set(add, [rule]);
    table.longest = Math.max(table.longest, add.length);
  }
  return { prefixes, suffixes };
}

function parseStems(dic: string): Map<string, string> {
  const stems = new Map<string, string>();
  const lines = dic.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    // Comment lines of the Italian dictionary start with "/".
    if (!line || line.startsWith('/') || line.startsWith('#')) continue;
    const entry = line.split(/\s/)[0]!;
    const slash = entry.indexOf('/');
    const word = slash < 0 ? entry : entry.slice(0, slash);
    const flags = slash < 0 ? '' : entry.slice(slash + 1);
    stems.set(word, (stems.get(word) ?? '') + flags);
  }
  return stems;
}

/** A word check from hunspell `.aff` and `.dic` text. */
export function affixChecker(aff: string, dic: string): (word: string) => boolean {
  const { prefixes, suffixes } = parseAffixes(aff);
  const stems = parseStems(dic);
  const hasFlag = (stem: string, flag: string) => stems.get(stem)?.includes(flag) ?? false;

  const bySuffix = (word: string, prefixFlag?: string): boolean => {
    for (let k = 0; k <= Math.min(suffixes.longest, word.length - 1); k++) {
      const rules = suffixes.byAdd.get(word.slice(word.length - k));
      if (!rules) continue;
      const base = word.slice(0, word.length - k);
      for (const rule of rules) {
        if (prefixFlag !== undefined && !rule.cross) continue;
        const stem = base + rule.strip;
        if (!stem || !rule.condition.test(stem) || !hasFlag(stem, rule.flag)) continue;
        if (prefixFlag === undefined || hasFlag(stem, prefixFlag)) return true;
      }
    }
    return false;
  };

  const byPrefix = (word: string): boolean => {
    for (let k = 0; k <= Math.min(prefixes.longest, word.length - 1); k++) {
      const rules = prefixes.byAdd.get(word.slice(0, k));
      if (!rules) continue;
      const rest = word.slice(k);
      for (const rule of rules) {
        const stem = rule.strip + rest;
        if (!stem || !rule.condition.test(stem)) continue;
        if (hasFlag(stem, rule.flag)) return true;
        if (rule.cross && bySuffix(stem, rule.flag)) return true;
      }
    }
    return false;
  };

  const check = (word: string) => stems.has(word) || bySuffix(word) || byPrefix(word);
  return (word: string) => {
    if (check(word)) return true;
    const lower = word.toLowerCase();
    if (lower !== word && check(lower)) return true;
    // "Ordine" at a sentence start is "ordine".
    const capitalLower = word[0]! + word.slice(1).toLowerCase();
    return capitalLower !== word && check(capitalLower);
  };
}
