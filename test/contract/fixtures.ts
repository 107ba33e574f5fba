// Helpdesk fixtures shared by the contract, tenancy and concurrency tests: a few markdown articles
// and resolved tickets in the words a support team would write, small enough that every count in
// the tests can be worked out by hand.
import type tap from 'tap';
import type { Ticket } from '@answerdesk/core';

/** The type of a subtest's `t` (tap's last `test` overload takes just the callback). */
export type TapTest = Parameters<Parameters<typeof tap.test>[0]>[0];

export interface ArticleSpec {
  id?: string;
  title: string;
  category?: string;
  language?: string;
  tags?: string[];
  translationOf?: string;
  /** Text before the first heading: a section of its own, anchored on the title. */
  intro?: string;
  /** `## heading` → text. */
  sections: Record<string, string>;
}

/** An article as a markdown file with YAML front matter. */
export function markdown(spec: ArticleSpec): string {
  const front = [
    spec.id ? `id: ${spec.id}` : '',
    `title: ${spec.title}`,
    spec.category ? `category: ${spec.category}` : '',
    spec.language ? `language: ${spec.language}` : '',
    spec.tags ? `tags: [${spec.tags.join(', ')}]` : '',
    spec.translationOf ? `translationOf: ${spec.translationOf}` : '',
  ].filter(Boolean);
  const body = Object.entries(spec.sections).map(([heading, text]) => `## ${heading}\n\n${text}\n`);
  return `---\n${front.join('\n')}\n---\n\n${spec.intro ? `${spec.intro}\n\n` : ''}${body.join('\n')}`;
}

export const jsonl = (rows: readonly unknown[]) => rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n') + '\n';

// ------------------------------------------------------------------ the help centre

export const REFUND_CARD: ArticleSpec = {
  id: 'refund-card',
  title: 'Refunds to a credit card',
  category: 'billing',
  tags: ['refund', 'card'],
  intro: 'When an order is returned or cancelled, the money goes back to the card that paid for it.',
  sections: {
    'How long a card refund takes': 'Card refunds take five to seven business days after the warehouse receives the parcel. Your bank may need two more days to show it on the statement.',
    'Refunds to an expired or cancelled card': 'If the card was cancelled, the bank forwards the refund to your new card. Ask your bank if it has not arrived after ten days.',
  },
};

export const GIFT_BALANCE: ArticleSpec = {
  id: 'gift-balance',
  title: 'Gift card balance',
  category: 'gift-card',
  tags: ['gift-card'],
  intro: 'Every gift card shows its remaining balance in your account and on the receipt of the last purchase.',
  sections: {
    'Check the balance online': 'Enter the sixteen digit number and the PIN from the back of the gift card on the balance page. Balances never expire.',
  },
};

export const RESET_PASSWORD: ArticleSpec = {
  id: 'reset-password',
  title: 'Reset your password',
  category: 'account',
  tags: ['account', 'login'],
  intro: 'Use the Forgot password link on the sign-in page to choose a new password.',
  sections: {
    'The reset email does not arrive': 'Check the spam folder and make sure the address is the one on your account. Reset links expire after one hour; request a new one if it has.',
  },
};

/** Section ids of the articles above (the intro is anchored on the title). */
export const SECTION_IDS = {
  refundIntro: 'refund-card#refunds-to-a-credit-card',
  refundHowLong: 'refund-card#how-long-a-card-refund-takes',
  refundExpired: 'refund-card#refunds-to-an-expired-or-cancelled-card',
  giftIntro: 'gift-balance#gift-card-balance',
  giftOnline: 'gift-balance#check-the-balance-online',
  resetIntro: 'reset-password#reset-your-password',
  resetEmail: 'reset-password#the-reset-email-does-not-arrive',
};

export const TICKETS: Ticket[] = [
  {
    id: 'T-1001',
    subject: 'Refund not on my statement',
    body: 'I sent the boots back two weeks ago and the refund is still not on my Visa statement.',
    resolution: 'The warehouse received the boots on the 3rd; the refund of 89 EUR was issued the same day and reaches the card within seven business days.',
    category: 'billing',
    priority: 'high',
    queue: 'payments',
    tags: ['refund'],
  },
  {
    id: 'T-1002',
    subject: 'Gift card balance',
    body: 'How much is left on the gift card my aunt gave me?',
    resolution: 'The card has 35 EUR left. You can check it any time on the balance page with the number and PIN.',
    category: 'gift-card',
    priority: 'normal',
    queue: 'customer-care',
  },
  {
    id: 'T-1003',
    subject: 'Locked out of my account',
    body: 'I typed the wrong password too many times and now the shop says my account is locked.',
    resolution: 'Accounts unlock by themselves after 30 minutes; after that use Forgot password to set a new one.',
    category: 'account',
    priority: 'low',
    queue: 'customer-care',
  },
];

/** A help-centre folder: three articles in subfolders, a file with broken front matter, and a ticket export with one bad row. */
export function helpCentre(tickets: readonly (Ticket | string)[] = TICKETS) {
  return {
    billing: { 'refund-card.md': markdown(REFUND_CARD) },
    gifts: { 'gift-balance.md': markdown(GIFT_BALANCE) },
    account: { 'reset-password.md': markdown(RESET_PASSWORD) },
    'broken.md': '---\ntitle: [unclosed\n---\n\n# Shipping times\n\nParcels leave within a day.\n',
    tickets: { 'export.jsonl': jsonl([tickets[0]!, '{"id": "T-1999", "subject": "half a row', ...tickets.slice(1)]) },
  };
}

/** Counts of `helpCentre()`: sections 3 + 2 + 2, tickets 3; one passage per section, two per ticket (question, resolution). */
export const HELP_CENTRE = { articles: 3, sections: 7, tickets: 3, documents: 10, passages: 7 + 2 * 3 };
