/**
 * bench/feedback: does what agents do make the next answer better? Feedback is simulated from
 * bench/answers' labels (an agent sends a right answer as it is, rejects a wrong one and picks the
 * right source among the alternatives when it is there, else from the knowledge search, where it
 * types the right section's title as an agent who knows the articles would) on the tuning half, a
 * quarter at a time, and bench/answers' measures are taken on the test half before and after each step; then the test
 * half's own messages get their feedback and are asked again (the same questions coming back).
 *
 *   pnpm bench:feedback [--similarity 0.6] [--weight 2] [--swap] [--lists-only] [--no-recalibration]   (defaults: LEARNING_DEFAULTS)
 *
 * --no-recalibration: feedback moves sources for similar questions, and the confidence stays the model's
 * (`learning.recalibrate: false`): what learning does apart from the recalibration.
 * --lists-only: agents pick only what the page lists with the answer (no knowledge search), as before stop 39.
 *
 * --swap gives the feedback on the test half and measures the tuning half: the same question asked
 * the other way round, so that one half's quirks are not taken for what feedback does.
 *
 * Works on a copy of bench/results/answers-store (the feedback stays out of bench/answers), prints
 * a table and writes bench/results/feedback.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupStoreFolder, DATABASE_FILE, LEARNING_DEFAULTS, openStoreFolder, type FeedbackInput, type KnowledgeBase, type Suggestion } from '@answerdesk/core';
import { machineInfo } from '../common/machine.js';
import { agentVerdicts, listedSources } from '../common/verdicts.js';
import { progress, progressDone } from '../common/progress.js';
import { pct, table } from '../common/table.js';
import { judge, metrics, type LabeledMessage, type MessageVerdict, type Metrics, type ToOriginal } from '../answers/judge.js';
import { answersStore, judgeContext, openAnswersStore, readMessages, repoRoot, type JudgeContext } from '../answers/setup.js';

const loadAtStart = os.loadavg()[0]!;
const { values: args } = parseArgs({
  options: {
    similarity: { type: 'string', default: String(LEARNING_DEFAULTS.similarity) },
    weight: { type: 'string', default: String(LEARNING_DEFAULTS.weight) },
    swap: { type: 'boolean', default: false },
    'lists-only': { type: 'boolean', default: false },
    'no-recalibration': { type: 'boolean', default: false },
  },
});
const learning = { similarity: Number(args.similarity), weight: Number(args.weight), ...(args['no-recalibration'] ? { recalibrate: false } : {}) };
const AGENTS = ['agent-1', 'agent-2', 'agent-3'];

/** What an agent does with one suggestion, from the message's labels; `searched`: what the knowledge search found, picked when the page lists nothing right. Pure. */
export function simulatedFeedback(message: LabeledMessage, suggestion: Suggestion, toOriginal: ToOriginal, agent: string, searched: readonly string[] = []): FeedbackInput[] {
  const labeled = new Set(message.questions.flatMap((q) => q.answers));
  // An answer to an off-topic or uncovered message is rejected, nothing is picked, and the agent sends a canned reply.
  const right = (id: string) => message.kind === 'answerable' && labeled.has(toOriginal(id));
  const canned = message.kind !== 'answerable';
  // The page lists the alternatives (after an abstention, the best candidate and the nearby articles), and the candidates the engine looked at.
  return (suggestion.answers ?? []).flatMap((answer) =>
    agentVerdicts(message.text, answer, right, [...listedSources(answer), ...(answer.candidates ?? []).map((c) => c.source.id), ...searched], agent, canned),
  );
}

interface Step {
  label: string;
  feedback: number;
  metrics: Metrics;
  /** Each message's verdict, to see which moved from step to step. */
  messages: Array<Pick<MessageVerdict, 'id' | 'kind' | 'abstained' | 'questions' | 'shown'>>;
}

async function measure(kb: KnowledgeBase, messages: readonly LabeledMessage[], context: Awaited<ReturnType<typeof judgeContext>>, label: string): Promise<Pick<Step, 'metrics' | 'messages'>> {
  const verdicts: MessageVerdict[] = [];
  for (const [i, message] of messages.entries()) {
    progress(label, i, messages.length);
    verdicts.push(judge(message, await kb.suggest(message.text), context.toOriginal, context.options));
  }
  progressDone();
  return { metrics: metrics(verdicts), messages: verdicts.map(({ id, kind, abstained, questions, shown }) => ({ id, kind, abstained, questions, shown })) };
}

/**
 * What an agent finds in the page's knowledge search for a message (8 hits, as the page shows): the title of
 * each section or ticket that answers it, typed in. Nothing for a message nothing answers, or with --lists-only.
 */
async function searchedSources(kb: KnowledgeBase, message: LabeledMessage, byId: JudgeContext['byId']): Promise<string[]> {
  if (message.kind !== 'answerable' || args['lists-only']) return [];
  const found: string[] = [];
  for (const id of new Set(message.questions.flatMap((q) => q.answers))) {
    const doc = byId.get(id);
    if (!doc) continue;
    const words = doc.kind === 'article' && doc.source.heading ? `${doc.title} ${doc.source.heading}` : doc.title;
    found.push(...(await kb.search(words, { k: 8 })).hits.map((hit) => hit.doc.id));
  }
  return found;
}

async function giveFeedback(kb: KnowledgeBase, messages: readonly LabeledMessage[], context: JudgeContext, label: string): Promise<number> {
  let given = 0;
  for (const [i, message] of messages.entries()) {
    progress(label, i, messages.length);
    const suggestion = await kb.suggest(message.text, { explain: true });
    const searched = await searchedSources(kb, message, context.byId);
    for (const entry of simulatedFeedback(message, suggestion, context.toOriginal, AGENTS[i % AGENTS.length]!, searched)) {
      await kb.recordFeedback(entry);
      given++;
    }
  }
  progressDone();
  return given;
}

async function main(): Promise<void> {
  const messages = await readMessages();
  const halves = { tune: 'tuning half', test: 'test half' } as const;
  const [given, measured] = args.swap ? (['test', 'tune'] as const) : (['tune', 'test'] as const);
  const feedbackOn = messages.filter((m) => m.split === given);
  const measuredOn = messages.filter((m) => m.split === measured);
  await (await openAnswersStore()).close();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'answerdesk-feedback-'));
  try {
    await backupStoreFolder({ store: answersStore, file: path.join(dir, DATABASE_FILE) });
    const kb = await openStoreFolder({ store: dir, learning });
    const context: JudgeContext = await judgeContext();
    const steps: Step[] = [{ label: 'before (no feedback)', feedback: 0, ...(await measure(kb, measuredOn, context, 'before')) }];
    let events = 0;
    for (const [from, to, label] of [[0, 0.25, 'a quarter'], [0.25, 0.5, 'half'], [0.5, 1, 'all']] as const) {
      const slice = feedbackOn.slice(Math.round(from * feedbackOn.length), Math.round(to * feedbackOn.length));
      events += await giveFeedback(kb, slice, context, `feedback on ${label} of the ${halves[given]}`);
      steps.push({ label: `after feedback on ${label} of the ${halves[given]}`, feedback: events, ...(await measure(kb, measuredOn, context, `after ${label}`)) });
    }
    events += await giveFeedback(kb, measuredOn, context, `feedback on the ${halves[measured]}`);
    steps.push({ label: `the ${halves[measured]} asked again after its own feedback`, feedback: events, ...(await measure(kb, measuredOn, context, 'asked again')) });
    await kb.close();

    const rows = steps.map((s) => {
      const m = s.metrics;
      return [s.label, String(s.feedback), pct(m.rightAt1, m.answerableQuestions), pct(m.rightAt3, m.answerableQuestions), `${pct(m.shownWrong, m.shown)} (${m.shownWrong}/${m.shown})`, `${pct(m.highRight, m.high)} (${m.highRight}/${m.high})`, pct(m.answerableAbstained, m.answerableMessages), pct(m.offtopicAbstained, m.offtopic), `${Math.round(m.meanScore * 100)}% / ${pct(m.shown - m.shownWrong, m.shown)}`, m.brier.toFixed(3)];
    });
    const agents = args['lists-only'] ? 'agents pick what the page lists' : "agents pick what the page lists, else from the knowledge search";
    console.log(`## bench/feedback: bench/answers' ${halves[measured]} (${measuredOn.length} messages) after feedback on the ${halves[given]} (${agents}), learning ${JSON.stringify(learning)}`);
    console.log(table(['step', 'feedback events', 'right at 1', 'right in top 3', 'shown wrong', 'High right', 'answerable abstained', 'off-topic abstained', 'shown: mean confidence / right', 'Brier'], rows));
    const file = path.join(repoRoot, 'bench', 'results', `feedback${args.swap ? '-swapped' : ''}${args['lists-only'] ? '-lists-only' : ''}${args['no-recalibration'] ? '-no-recalibration' : ''}.json`);
    await writeFile(file, JSON.stringify({ machine: machineInfo(loadAtStart), learning, agentsSearch: !args['lists-only'], feedbackOn: given, measuredOn: measured, steps }, null, 2) + '\n');
    console.log(`\nWritten to ${path.relative(repoRoot, file)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
