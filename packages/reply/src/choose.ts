// Which part of a section to show as the answer. Pure.
import { AnswerdeskError } from '@answerdesk/types';
import type { AnswerUnit, ChooseOptions, ChosenPassage } from './types.js';
import { plainText } from './plain.js';
import { words } from './text.js';

/** The defaults of `ChooseOptions`, in one place. */
export const chooseDefaults: Required<ChooseOptions> = {
  tolerance: 0.03,
  wholeBelow: 450,
  wholeUnits: 2,
};

// First words that make a sentence lean on the one before it ("It takes 3 days.", "However, …"):
// such a sentence is not complete alone. Articles and the German/Italian formal "you" (Sie, La)
// are left out: they start self-contained sentences just as often.
const LEANS_ON_PREVIOUS = words(
  [
    'it|its|they|them|their|this|that|these|those|he|she|also|so|but|however|then|otherwise|instead|such|both|there\\s+you',
    'questo|questa|questi|queste|ciò|esso|essa|essi|inoltre|quindi|però|tuttavia|poi|altrimenti|anche|invece',
    'dies|diese|dieser|dieses|diesen|es|deshalb|daher|dann|aber|jedoch|außerdem|sonst|stattdessen|dafür|dazu',
    'это|этот|эта|эти|этого|он|она|оно|они|их|поэтому|но|однако|также|тогда|иначе|затем|кроме\\s+того',
  ].join('|'),
);

function leansOnPrevious(text: string): boolean {
  const match = LEANS_ON_PREVIOUS.exec(text.trimStart());
  return match !== null && match.index === 0;
}

interface Shown {
  markdown: string;
  units: number[];
}

function checkOptions(units: readonly AnswerUnit[], scores: readonly number[], options: ChooseOptions): Required<ChooseOptions> {
  const tolerance = options.tolerance ?? chooseDefaults.tolerance;
  const wholeBelow = options.wholeBelow ?? chooseDefaults.wholeBelow;
  const wholeUnits = options.wholeUnits ?? chooseDefaults.wholeUnits;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'tolerance', reason: `must be a number ≥ 0 (got ${tolerance})` });
  if (!Number.isFinite(wholeBelow) || wholeBelow < 0) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'wholeBelow', reason: `must be a number of characters ≥ 0 (got ${wholeBelow})` });
  if (scores.length !== units.length) {
    throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'scores', reason: `must hold one score per unit (got ${scores.length} scores for ${units.length} units)` });
  }
  if (!(wholeUnits >= 0)) throw new AnswerdeskError('ADK_OPTION_INVALID', { option: 'wholeUnits', reason: `must be a number of units ≥ 0 (got ${wholeUnits})` });
  return { tolerance, wholeBelow, wholeUnits };
}

function passage(shown: readonly Shown[], whole: boolean, single?: AnswerUnit): ChosenPassage {
  const markdown = shown.map((part) => part.markdown).join('\n\n');
  if (markdown === '') return { markdown: '', text: '', units: [], whole: false };
  const out: ChosenPassage = { markdown, text: plainText(markdown), units: shown.flatMap((part) => part.units), whole };
  if (single?.table) out.table = single.table;
  return out;
}

/**
 * Show the smallest complete unit that answers. The rule, in order:
 *
 * 1. Units that only point elsewhere are never shown (the reply cannot follow the reference).
 * 2. A short section (≤ `wholeBelow` characters, at most `wholeUnits` units besides sentences) is shown whole,
 *    minus what points elsewhere: cutting it would save the reader nothing.
 * 3. Otherwise the best-scoring unit wins (ties: the earlier one). When it is a paragraph, its best
 *    sentence is shown instead if it scores within `tolerance` of the paragraph; a sentence that
 *    leans on the one before it ("It takes 3 days.") takes that one along, since it is not complete
 *    alone. Lists, steps and tables are never narrowed.
 * 4. A paragraph of one or two sentences directly followed by a list, steps or table is shown with
 *    it when that block is the runner-up among the section's blocks: the two answer together (the
 *    paragraph introduces the list even without a colon).
 *
 * A paragraph is shown without its sentences that point elsewhere. `units` lists what is shown:
 * a paragraph's index, or its sentences' when only some of them are.
 */
export function chooseUnit(units: readonly AnswerUnit[], scores: readonly number[], options: ChooseOptions = {}): ChosenPassage {
  const { tolerance, wholeBelow, wholeUnits } = checkOptions(units, scores, options);
  // Scores go by position in the array (as do units' own indices when they come from answerUnits).
  const scoreOf = new Map(units.map((unit, i) => [unit, scores[i] ?? Number.NaN]));
  const score = (unit: AnswerUnit) => scoreOf.get(unit) ?? Number.NaN;
  const top = units.filter((unit) => unit.parent === undefined);
  const sentencesOf = (paragraph: AnswerUnit) => units.filter((unit) => unit.parent === paragraph.index);

  /** A paragraph as shown: whole, or only its sentences that do not point elsewhere. */
  const showParagraph = (paragraph: AnswerUnit): Shown => {
    const sentences = sentencesOf(paragraph);
    if (!sentences.some((s) => s.pointsElsewhere)) return { markdown: paragraph.markdown, units: [paragraph.index] };
    const kept = sentences.filter((s) => !s.pointsElsewhere);
    return { markdown: kept.map((s) => s.markdown).join(' '), units: kept.map((s) => s.index) };
  };
  const show = (unit: AnswerUnit): Shown => (unit.kind === 'paragraph' ? showParagraph(unit) : { markdown: unit.markdown, units: [unit.index] });

  const length = top.reduce((sum, unit) => sum + unit.markdown.length, 0) + 2 * Math.max(0, top.length - 1);
  if (top.length > 0 && top.length <= wholeUnits && length <= wholeBelow) {
    const shown = top.filter((unit) => !unit.pointsElsewhere);
    return passage(shown.map(show), true, shown.length === 1 ? shown[0] : undefined);
  }

  const candidates = units.filter((unit) => !unit.pointsElsewhere && Number.isFinite(score(unit)));
  const best = candidates.reduce<AnswerUnit | undefined>((a, b) => (a === undefined || score(b) > score(a) ? b : a), undefined);
  if (!best) return passage([], false);

  // Rule 3: narrow a paragraph to a sentence; complete a sentence that leans on the one before.
  let sentence: AnswerUnit | undefined = best.kind === 'sentence' ? best : undefined;
  if (best.kind === 'paragraph') {
    const close = sentencesOf(best).filter((s) => !s.pointsElsewhere && Number.isFinite(score(s)) && score(s) >= score(best) - tolerance);
    sentence = close.reduce<AnswerUnit | undefined>(
      (a, b) => (a === undefined || score(b) > score(a) || (score(b) === score(a) && b.markdown.length < a.markdown.length) ? b : a),
      undefined,
    );
  }
  if (sentence) {
    const paragraph = units.find((unit) => unit.index === sentence.parent);
    if (!paragraph) return passage([show(sentence)], false); // its paragraph was not passed in
    const siblings = sentencesOf(paragraph);
    const last = siblings.indexOf(sentence);
    let first = last;
    while (first > 0 && leansOnPrevious(siblings[first]!.text) && !siblings[first - 1]!.pointsElsewhere) first--;
    const range = siblings.slice(first, last + 1);
    if (range.length === siblings.length) return passage([showParagraph(paragraph)], false);
    return passage([{ markdown: range.map((s) => s.markdown).join(' '), units: range.map((s) => s.index) }], false);
  }

  // Rule 4: a short paragraph and the list or table right after it, when that is the runner-up.
  if (best.kind === 'paragraph' && sentencesOf(best).length === 0) {
    const at = top.indexOf(best);
    const next = top[at + 1];
    const others = top.filter((unit) => unit !== best && !unit.pointsElsewhere && Number.isFinite(score(unit)));
    const runnerUp = others.reduce<AnswerUnit | undefined>((a, b) => (a === undefined || score(b) > score(a) ? b : a), undefined);
    if (next && next === runnerUp && (next.kind === 'list' || next.kind === 'steps' || next.kind === 'table')) {
      return passage([show(best), show(next)], false);
    }
  }
  return passage([show(best)], false, best);
}
