import t from 'tap';
import { extractEntities, type Entity, type EntityKind } from '../src/index.js';

/** [text, language, expected `kind:text=value` in order]. */
type Case = [string, string | undefined, string[]];

const show = (entity: Entity) => `${entity.kind}:${entity.text}=${entity.value}`;

const families: Record<string, Case[]> = {
  'e-mails, links and domains': [
    ['Write to Anna.Rossi@Example.com please', 'en', ['email:Anna.Rossi@Example.com=anna.rossi@example.com']],
    ['My shop is mybakery.co.uk and the test shop shop.example.com.', 'en', ['domain:mybakery.co.uk=mybakery.co.uk', 'domain:shop.example.com=shop.example.com']],
    ['See https://brightcart.com/help?topic=returns for details', 'en', ['url:https://brightcart.com/help?topic=returns=https://brightcart.com/help?topic=returns']],
    ['Check brightcart.com/giftbalance.', 'en', ['url:brightcart.com/giftbalance=http://brightcart.com/giftbalance']],
    ['I attached report.pdf, readme.md and notes.zip; we run v1.2.3 on 10.0.0.1', 'en', []],
    ['Do you offer Windows hosting with ASP.NET? Can I register a .co.uk domain?', 'en', []],
    ['Сайт masterskaya-dereva.ru, почта info@studio-ritm.ru', 'ru', ['domain:masterskaya-dereva.ru=masterskaya-dereva.ru', 'email:info@studio-ritm.ru=info@studio-ritm.ru']],
  ],
  phones: [
    ['Call me on +44 20 7946 0958 or +1 (212) 555-0123', 'en', ['phone:+44 20 7946 0958=+442079460958', 'phone:+1 (212) 555-0123=+12125550123']],
    ['Мой телефон +7 912 345-67-89', 'ru', ['phone:+7 912 345-67-89=+79123456789']],
    // Without a default country a number without + could be anything.
    ['Call 020 7946 0958 tomorrow', 'en', []],
  ],
  amounts: [
    ['I paid €12.50, then 12,50 EUR', 'en', ['amount:€12.50=12.50 EUR', 'amount:12,50 EUR=12.50 EUR']],
    ['Charged $156.80 instead of 156.80 USD', 'en', ['amount:$156.80=156.80 USD', 'amount:156.80 USD=156.80 USD']],
    ['Only £5 and 15 euros', 'en', ['amount:£5=5.00 GBP', 'amount:15 euros=15.00 EUR']],
    ['Zweimal 1.299,00 € abgebucht', 'de', ['amount:1.299,00 €=1299.00 EUR']],
    ['Il rimborso di 64,90 € non è arrivato', 'it', ['amount:64,90 €=64.90 EUR']],
    ['Списали 1 200 ₽ и ещё 500 руб.', 'ru', ['amount:1 200 ₽=1200.00 RUB', 'amount:500 руб.=500.00 RUB']],
  ],
  cards: [
    ['Refund it to my Visa ending 2291', 'en', ['card:Visa ending 2291=2291']],
    ['the card ending in 4455, not **** 9876', 'en', ['card:card ending in 4455=4455', 'card:**** 9876=9876']],
    ['Charge Mastercard 3333 instead', 'en', ['card:Mastercard 3333=3333']],
    ['карта, последние цифры 1234', 'ru', ['card:последние цифры 1234=1234']],
  ],
  'orders, tickets, invoices, certificates, tracking': [
    ['Where is order BC-4410273? And order #55123?', 'en', ['order:BC-4410273=BC-4410273', 'order:55123=55123']],
    ['Meine Bestellung 123456 fehlt, Rechnung RE-2025-17 auch', 'de', ['order:123456=123456', 'invoice:RE-2025-17=RE-2025-17']],
    ["L'ordine n. 4455 e la fattura 998877", 'it', ['order:4455=4455', 'invoice:998877=998877']],
    ['заказ № 12345, счёт HW-INV-2026-118402', 'ru', ['order:12345=12345', 'invoice:HW-INV-2026-118402=HW-INV-2026-118402']],
    ['invoice INV-2025-0042 for ticket T-10002', 'en', ['invoice:INV-2025-0042=INV-2025-0042', 'ticket:T-10002=T-10002']],
    ['My certificate GC-7731-4402-9918 and Gutschein abc123', 'en', ['certificate:GC-7731-4402-9918=GC-7731-4402-9918', 'certificate:abc123=ABC123']],
    ['buono 55667788, сертификат 123456', undefined, ['certificate:55667788=55667788', 'certificate:123456=123456']],
    ['tracking 1Z999AA10123456784 says delivered', 'en', ['tracking:1Z999AA10123456784=1Z999AA10123456784']],
    // No word says what it is: the shape does.
    ['Frullatore (BC-4486207) rotto', 'it', ['order:BC-4486207=BC-4486207']],
    // Quantities, promo codes and years are not ids.
    ['I want to order 3 items with code SPRING10 before 2026', 'en', []],
  ],
  ibans: [
    ['IBAN: DE89 3704 0044 0532 0130 00, thanks', 'en', ['iban:DE89 3704 0044 0532 0130 00=DE89370400440532013000']],
    ['Pay to GB29NWBK60161331926819.', 'en', ['iban:GB29NWBK60161331926819=GB29NWBK60161331926819']],
    ['Not an IBAN: DE00 1234 5678 9012 3456 78', 'en', []],
  ],
  dates: [
    ['Ordered 2026-01-05, returned 03/01/2026', 'en', ['date:2026-01-05=2026-01-05', 'date:03/01/2026=03/01/2026']],
    ['Delivery by 3 March or March 3rd, latest January 13th', 'en', ['date:3 March=3 March', 'date:March 3rd=March 3', 'date:January 13th=January 13']],
    ['Valid until October 3rd, 2027.', 'en', ['date:October 3rd, 2027=October 3, 2027']],
    ['Bestellt am 3. März, zurück am 2.9.', 'de', ['date:3. März=3. März', 'date:2.9.=2.9.']],
    ['Emesso il 3 marzo', 'it', ['date:3 marzo=3 marzo']],
    ['Оплатил 3 марта 2026 г.', 'ru', ['date:3 марта 2026 г.=3 марта 2026 г.']],
    ['You may 2 times set 2 alarms', 'en', []],
  ],
  addresses: [
    ['Send it to 12 Baker Street, London NW1 6XE please', 'en', ['address:12 Baker Street, London NW1 6XE=12 Baker Street, London NW1 6XE']],
    ['Neue Adresse: Hauptstraße 5, 10115 Berlin.', 'de', ['address:Hauptstraße 5, 10115 Berlin=Hauptstraße 5, 10115 Berlin']],
    ['Abito in via Roma 12, 00184 Roma (RM)', 'it', ['address:via Roma 12, 00184 Roma (RM)=via Roma 12, 00184 Roma (RM)']],
    ['Адрес: ул. Ленина, д. 5, кв. 12', 'ru', ['address:ул. Ленина, д. 5, кв. 12=ул. Ленина, д. 5, кв. 12']],
    ['Ship to Springfield, IL 62704', 'en', ['address:Springfield, IL 62704=Springfield, IL 62704']],
    ['I paid via PayPal 3 times and have 10000 Punkte gesammelt', undefined, []],
  ],
  names: [
    ['Hi Maria,\n\nwhere is my parcel?\n\nThanks,\nJohn Smith', 'en', ['name:Maria=Maria', 'name:John Smith=John Smith']],
    ['Buongiorno, mi chiamo Anna Rossi e il pacco non è arrivato.', 'it', ['name:Anna Rossi=Anna Rossi']],
    ['Guten Tag, mein Name ist Hans Müller. Wo ist mein Paket?\n\nMfG', 'de', ['name:Hans Müller=Hans Müller']],
    ['Здравствуйте, меня зовут Анна. Где заказ?', 'ru', ['name:Анна=Анна']],
    // Names only from the frame of a message: no general name finding.
    ['Our courier Tom Baker was rude.', 'en', []],
  ],
};

for (const [family, cases] of Object.entries(families)) {
  t.test(family, async (t) => {
    for (const [text, language, expected] of cases) {
      const entities = extractEntities(text, language ? { language } : {});
      t.same(entities.map(show), expected, JSON.stringify(text));
      for (const entity of entities) t.equal(text.slice(entity.start, entity.end), entity.text, `offsets of ${entity.text}`);
    }
  });
}

t.test('a default country reads numbers without +', async (t) => {
  t.same(extractEntities('Call 020 7946 0958 tomorrow', { defaultCountry: 'GB' }).map(show), ['phone:020 7946 0958=+442079460958']);
  t.same(extractEntities('Ruf 030 12345678 an', { defaultCountry: 'DE' }).map(show), ['phone:030 12345678=+493012345678']);
});

t.test('entities never overlap: the more specific kind wins', async (t) => {
  const text =
    'Hi Anna,\nmy e-mail is jo@shop.example.com, order BC-4410273 (see https://brightcart.com/orders/BC-4410273) cost €1.299,00 on 03/01/2026; card 4111 1111 1111 1111; IBAN DE89 3704 0044 0532 0130 00; call +44 20 7946 0958.\nThanks, Jo';
  const entities = extractEntities(text);
  for (let i = 1; i < entities.length; i++) t.ok(entities[i - 1]!.end <= entities[i]!.start, `${entities[i - 1]!.text} before ${entities[i]!.text}`);
  const kinds = entities.map((entity) => entity.kind);
  t.same(kinds, ['name', 'email', 'order', 'url', 'amount', 'date', 'card', 'iban', 'phone', 'name'] satisfies EntityKind[]);
  t.notOk(kinds.includes('domain'), "the e-mail's and the link's domains are not domains of their own");
  t.equal(entities.find((entity) => entity.kind === 'card')!.value, '1111', 'a full card number keeps its last four digits');
});

t.test('docs-content style messages', async (t) => {
  const text = "Hi, I ordered a Philips hand blender on January 3rd (order BC-4410273) and the confirmation said delivery by the 7th. Can you tell me what's going on?";
  t.same(extractEntities(text).map(show), ['date:January 3rd=January 3', 'order:BC-4410273=BC-4410273']);
  const italian = 'Buongiorno, ho reso delle scarpe (ordine BC-4479018) e il 3 marzo mi è arrivata la mail con 64,90 €, ma sulla Mastercard ancora non vedo niente.';
  t.same(extractEntities(italian, { language: 'it' }).map(show), ['order:BC-4479018=BC-4479018', 'date:3 marzo=3 marzo', 'amount:64,90 €=64.90 EUR']);
  t.same(extractEntities('', {}), []);
});
