import t from 'tap';
import { isUnsolicited, readMessage, unsolicitedSigns } from '../src/index.js';

const SPAM = [
  'Dear Winner,\n\nYour email address has won £850,000 in the UK National Online Lottery. To process your winnings send your full name, address and bank details.',
  'Hello,\n\nWe are a leading web design agency from India. We can offer you a complete redesign of your online store. Reply for a free quote.',
  'Hi there, our team of SEO experts can get you to the first page of Google in 60 days. Would you be interested in a free audit?',
  'Dear Webmaster, your domain is about to expire in our search engine registry. Please confirm within 3 days to keep your listing.',
  'Buongiorno, siamo un\'agenzia di marketing digitale di Milano. Vi offriamo un\'analisi SEO e un preventivo gratuito.',
  'Sehr geehrte Damen und Herren, wir sind ein führender Hersteller von Verpackungsmaterial. Wir bieten Ihnen Großhandelspreise an.',
  'Здравствуйте! Мы — веб-студия полного цикла. Предлагаем продвижение сайта под ключ. Бесплатный аудит вашего сайта!',
  'Hai vinto un buono da 500 euro! Per riscattare la vincita inviaci le tue coordinate bancarie.',
  // Two signs of a kind only spam has.
  'You have won a free cruise to the Bahamas! Call now to claim your reward.',
  'ATTENTION: Your mailbox has exceeded its storage limit. Click here to verify your account within 24 hours or it will be suspended.',
];
// Each holds one sign: a customer's question that happens to use the words.
const CUSTOMERS = [
  'Hi, do you offer gift wrapping for orders?',
  'I won a voucher in your Instagram contest but the code says it is invalid. Can you help?',
  'Dear Sir or Madam, I would like a refund for order BC-4412345. Please reply within 14 days.',
  'We are a small company and need a VAT invoice with our company name on it.',
  'Do you have wholesale prices for schools? We would like to buy 30 tablets.',
  "I'm the beneficiary of my late father's account with you, how do I close it?",
  'Hi, I got an email saying I have won a prize from you and they want my bank details. Is this a scam?',
  'Guten Tag, bieten Sie auch Ratenzahlung an?',
  'Здравствуйте! Предлагаете ли вы скидки для постоянных клиентов?',
  'I got an email saying my mailbox is full and asking me to verify my account. Is that really from you?',
  'Hi, someone sent me an email saying my account will be suspended unless I click a link. Is that you?',
  'Do you offer free samples of the fabric before I order the sofa?',
];

t.test('spam and unsolicited offers are told from customers who use the same words', async (t) => {
  for (const text of SPAM) t.ok(isUnsolicited(text), `unsolicited: ${text.slice(0, 50)}`);
  for (const text of CUSTOMERS) t.notOk(isUnsolicited(text), `a customer: ${text.slice(0, 50)}`);
  t.same(
    unsolicitedSigns(SPAM[0]!).map((sign) => sign.kind),
    ['prize', 'prize', 'prize', 'addressee', 'details'],
    'the signs say why',
  );
});

t.test('readMessage marks an unsolicited message, from its salutation and signature too, never from a quoted reply', async (t) => {
  t.equal(readMessage('Dear CEO,\n\nWe are a domain name registration organization in Shanghai. Please confirm within 7 days.').unsolicited, true);
  t.equal(readMessage('Hello,\n\nWe are a manufacturer of phone cases. Catalogue attached.\n\nBest regards,\nLily').unsolicited, true);
  const reply = readMessage('Where is my parcel?\n\nOn Mon, 3 Mar 2025, Brightcart <shop@brightcart.example> wrote:\n> We are a leading online shop. We can offer you 10% off with the code SPRING.');
  t.notOk(reply.unsolicited, "the shop's own offer quoted below a question is not the customer's");
});
