/** JSON schemas shared by the routes: request checks, response serialization and the OpenAPI document. */

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const strOrList = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 50 }] } as const;
const level = { type: 'string', enum: ['high', 'medium', 'low'] } as const;
const looseObject = { type: 'object', additionalProperties: true } as const;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'Every error: a stable code, the HTTP status and a message that says what to fix.',
  properties: {
    error: {
      type: 'object',
      properties: { code: str, status: { type: 'integer' }, message: str, details: looseObject },
      required: ['code', 'status', 'message'],
    },
    errors: { type: 'array', items: { type: 'object', properties: { code: str, message: str, details: looseObject } } },
  },
  required: ['error'],
} as const;

export const jobSchema = {
  $id: 'Job',
  type: 'object',
  description: 'A background job (training, an async publish or import). Poll `GET /v1/jobs/{id}` until `state` is `succeeded` or `failed`.',
  properties: {
    id: str,
    kind: { type: 'string', description: 'train, publish or tickets.' },
    state: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed'] },
    progress: { type: 'object', properties: { phase: str, done: num, total: num } },
    result: { description: 'What the work returned (the same body its synchronous route returns), once succeeded.' },
    error: { type: 'object', properties: { code: str, message: str } },
    createdAt: str,
    startedAt: str,
    finishedAt: str,
  },
  required: ['id', 'kind', 'state', 'createdAt'],
} as const;

export const sourceSchema = {
  $id: 'Source',
  type: 'object',
  description: 'Where an answer comes from: an article section (`articleId#anchor`) or a ticket.',
  properties: {
    id: str,
    kind: { type: 'string', enum: ['article', 'ticket', 'template', 'glossary'] },
    title: str,
    heading: str,
    headingPath: { type: 'array', items: str },
    file: str,
    anchor: str,
    line: { type: 'integer' },
  },
  required: ['id', 'kind', 'title'],
} as const;

const confidence = { type: 'object', properties: { level, score: num, before: { type: 'number', description: "The engine's own score before recalibration on agents' outcomes (only when recalibrated); feedback sends it as confidence." } }, required: ['level', 'score'] } as const;

export const languageCode = { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' } as const;

export const queryLanguageSchema = {
  $id: 'QueryLanguage',
  type: 'object',
  description: 'The language the customer text was read in.',
  properties: {
    code: str,
    basis: { type: 'string', enum: ['given', 'detected', 'default'], description: 'Given by the caller, detected reliably, or the default when detection could not tell.' },
    semantic: { type: 'boolean', description: 'False when the model does not match this language by meaning, so matching leans on words.' },
  },
  required: ['code', 'basis', 'semantic'],
} as const;

export const suggestionSchema = {
  $id: 'Suggestion',
  type: 'object',
  properties: {
    suggestionId: { type: 'string', description: 'Send it back with POST /v1/feedback.' },
    query: str,
    status: { type: 'string', enum: ['answered', 'abstained'] },
    answer: str,
    source: { $ref: 'Source#' },
    confidence,
    alternatives: { type: 'array', items: { type: 'object', properties: { source: { $ref: 'Source#' }, confidence, language: str } } },
    reason: str,
    queryLanguage: { $ref: 'QueryLanguage#' },
    language: { type: 'string', description: 'Language of the answer.' },
    needsTranslation: { type: 'boolean', description: "True when the answer is not in the customer's language: translate it before sending." },
    notes: { type: 'array', items: str, description: 'Things the agent should know about this answer.' },
    message: { $ref: 'MessageReading#' },
    answers: { type: 'array', items: { $ref: 'QuestionAnswer#' }, description: 'One answer per question found in the message; the top-level answer is the first answered one.' },
    draft: { $ref: 'ReplyDraft#' },
    similarTickets: { type: 'array', items: { $ref: 'SimilarTicket#' }, description: 'Past tickets like this one: evidence for the agent, never sent as they are.' },
    tookMs: num,
  },
  required: ['query', 'status', 'confidence', 'alternatives'],
} as const;

const strings = { type: 'array', items: str } as const;

export const entitySchema = {
  $id: 'Entity',
  type: 'object',
  description: 'A detail found in a message: order number, e-mail, phone, amount, date, domain…',
  properties: { kind: str, text: str, value: str, start: { type: 'integer' }, end: { type: 'integer' } },
  required: ['kind', 'text', 'value'],
} as const;

export const messageReadingSchema = {
  $id: 'MessageReading',
  type: 'object',
  description: 'How the message was read before matching: greeting, signature, quoted replies and footers removed, ALL CAPS folded, spelling corrected, questions split.',
  properties: {
    text: str,
    questions: strings,
    corrections: { type: 'array', items: { type: 'object', properties: { from: str, to: str }, required: ['from', 'to'] } },
    capsFolded: { type: 'boolean' },
    customerName: str,
    entities: { type: 'array', items: { $ref: 'Entity#' } },
    removed: { type: 'object', properties: { greeting: str, signOff: str, signature: str, quoted: str, footer: str } },
    autoReply: { type: 'boolean', description: 'An automatic reply (out of office): nothing is answered and the draft is empty.' },
    thanksOnly: { type: 'boolean', description: 'The customer only thanks or says the matter is solved: nothing is answered and the draft is empty.' },
    followUp: { type: 'boolean', description: 'The customer only chases an earlier message ("Any update on this?"): nothing is answered and the draft says the agent is looking into it.' },
    nothingAsked: { type: 'boolean', description: 'Nothing asked yet (a greeting, an order number or a question mark alone): nothing is answered and the draft asks what the customer needs.' },
    unsolicited: { type: 'boolean', description: 'Spam or an unsolicited offer (a prize to claim, a sales pitch): nothing is answered and the draft is the "spam" canned reply.' },
  },
  required: ['text', 'questions', 'corrections', 'capsFolded', 'entities', 'removed'],
} as const;

const table = { type: 'object', properties: { header: strings, rows: { type: 'array', items: strings } }, required: ['header', 'rows'] } as const;

export const questionAnswerSchema = {
  $id: 'QuestionAnswer',
  type: 'object',
  properties: {
    question: str,
    status: { type: 'string', enum: ['answered', 'abstained'] },
    answer: { type: 'string', description: 'The passage that answers (markdown): the smallest complete unit of the section, or a past resolution adapted to this customer.' },
    passage: {
      type: 'object',
      properties: { markdown: str, whole: { type: 'boolean' }, table, basis: { type: 'string', enum: ['article', 'ticket'] } },
      required: ['markdown', 'whole', 'basis'],
    },
    source: { $ref: 'Source#' },
    confidence: { ...confidence, description: 'score: the calibrated probability that the shown answer is right.' },
    alternatives: { type: 'array', items: { type: 'object', properties: { source: { $ref: 'Source#' }, confidence, language: str } } },
    reason: str,
    nearby: { type: 'array', items: { $ref: 'Source#' }, description: 'When abstaining: the nearest articles.' },
    best: { $ref: 'Source#', description: 'When abstaining: the most probable candidate, below the abstain band (confidence.score is its probability); feedback on it with that score recalibrates confidence.' },
    language: str,
    needsTranslation: { type: 'boolean' },
    placeholders: strings,
    notes: strings,
    gloss: { type: 'string', description: 'For a question in a language the model cannot read: the English words it was also searched by, glossed word for word with a lexicon learned from the translated articles.' },
  },
  required: ['question', 'status', 'confidence', 'alternatives'],
} as const;

export const replyDraftSchema = {
  $id: 'ReplyDraft',
  type: 'object',
  description: 'A reply the agent can send once its placeholders ([order number]) are filled: greeting, one answer per question, closing.',
  properties: {
    text: str,
    parts: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['greeting', 'answer', 'closing', 'canned'] }, text: str, templateId: str, sourceId: str }, required: ['kind', 'text'] } },
    placeholders: strings,
    notes: { ...strings, description: 'For the agent, never for the customer.' },
    language: str,
    needsTranslation: { type: 'boolean' },
  },
  required: ['text', 'parts', 'placeholders', 'notes', 'language', 'needsTranslation'],
} as const;

export const similarTicketSchema = {
  $id: 'SimilarTicket',
  type: 'object',
  properties: { id: str, subject: str, category: str, createdAt: str, resolution: str, source: { $ref: 'Source#' }, similarity: num },
  required: ['id', 'subject', 'resolution', 'source'],
} as const;

const labelScore = { type: 'object', properties: { label: str, probability: num } } as const;
export const predictionSchema = {
  $id: 'LabelPrediction',
  type: 'object',
  properties: { field: str, label: str, probability: num, level, alternatives: { type: 'array', items: labelScore }, basis: { type: 'string', enum: ['examples', 'description'] }, learned: { type: 'string', description: "How agents' corrections of similar messages moved it." } },
  required: ['field', 'label', 'probability', 'level'],
} as const;

export const filterSchema = {
  type: 'object',
  description: 'Only documents that match every given field.',
  additionalProperties: false,
  properties: { kind: { type: 'string', enum: ['article', 'ticket'] }, category: strOrList, language: strOrList, tags: { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 50 } },
} as const;

/** The customer text; its length limit is the knowledge base's `maxQueryLength` (ADK_QUERY_TOO_LONG), not a schema error. */
export const textSchema = { type: 'string', description: 'The customer text.' } as const;

const fieldValue = { anyOf: [str, num, { type: 'boolean' }] } as const;

export const triageBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: {
    id: { type: 'string', maxLength: 200 },
    subject: { type: 'string' },
    text: textSchema,
    channel: { type: 'string', maxLength: 100 },
    language: languageCode,
    fields: { type: 'object', additionalProperties: fieldValue, maxProperties: 100 },
    receivedAt: { type: 'string', format: 'date-time' },
    suggest: { type: 'boolean', description: 'Also suggest an answer. Default true.' },
    languages: { type: 'array', items: { type: 'string', pattern: '^[a-z]{2,3}$' }, maxItems: 50, description: 'Languages the helpdesk handles; detection picks among them.' },
    filter: filterSchema,
  },
} as const;

export const triageResponseSchema = {
  type: 'object',
  properties: {
    suggestionId: str,
    id: str,
    category: { $ref: 'LabelPrediction#' },
    labels: { type: 'object', additionalProperties: { $ref: 'LabelPrediction#' } },
    priority: {
      type: 'object',
      properties: { priority: str, basis: str, level, cues: { type: 'array', items: str } },
    },
    language: { type: 'object', properties: { code: str, confidence: num, reliable: { type: 'boolean' }, candidates: { type: 'array', items: looseObject } } },
    entities: {
      type: 'array',
      items: { $ref: 'Entity#' },
      description: 'Details found in the subject and text (order numbers, e-mails, amounts…); offsets are in the subject and text, trimmed, joined by a line break. Routing rules see them as `entities` conditions.',
    },
    route: {
      type: 'object',
      properties: {
        queue: str,
        team: str,
        line: str,
        priority: str,
        tags: { type: 'array', items: str },
        notify: { type: 'array', items: { type: 'object', properties: { address: str, role: str, from: str } } },
        due: { type: 'object', properties: { within: str, at: str } },
        trace: {
          type: 'array',
          items: { type: 'object', properties: { rule: str, fired: { type: 'boolean' }, why: { type: 'array', items: str }, actions: { type: 'array', items: str }, stopped: { type: 'boolean' } } },
        },
        warnings: { type: 'array', items: str },
      },
    },
    suggestion: { $ref: 'Suggestion#' },
    tookMs: num,
  },
} as const;

export const documentSchema = {
  $id: 'Document',
  type: 'object',
  properties: {
    id: str,
    kind: { type: 'string', enum: ['article', 'ticket'] },
    title: str,
    category: str,
    language: str,
    tags: { type: 'array', items: str },
    text: { type: 'string', description: 'What questions are matched against (section text; ticket subject and body).' },
    answer: { type: 'string', description: 'What is shown as the answer (section text; ticket resolution).' },
    source: { $ref: 'Source#' },
  },
} as const;

export const changeSchema = {
  type: 'object',
  properties: {
    updated: { type: 'integer', description: 'Documents added or changed.' },
    unchanged: { type: 'integer' },
    removed: { type: 'integer' },
    embedded: { type: 'integer', description: 'Passages sent to the model.' },
    reused: { type: 'integer', description: 'Passages whose vectors were already known.' },
  },
} as const;

export const idParam = (what: string, pattern: string) =>
  ({ type: 'object', required: ['id'], properties: { id: { type: 'string', pattern, maxLength: 500, description: `The ${what} id.` } } }) as const;

export const ARTICLE_ID = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
export const DOCUMENT_ID = '^[^\\s]+$';

/** Error responses a route can give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: 'Error#' }]));
}

export const sharedSchemas = [errorSchema, jobSchema, sourceSchema, queryLanguageSchema, entitySchema, messageReadingSchema, questionAnswerSchema, replyDraftSchema, similarTicketSchema, suggestionSchema, predictionSchema, documentSchema];
