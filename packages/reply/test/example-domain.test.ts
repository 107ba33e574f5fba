import t from 'tap';
import { extractEntities } from '@answerdesk/message';
import { customerDomain, withCustomerDomain } from '../src/index.js';

const OWN = ['hostwell.net', 'example.com', 'letsencrypt.org'];

t.test("the one domain a message names as a site is the customer's", async (t) => {
  const domainOf = (text: string) => customerDomain(extractEntities(text), OWN);
  t.equal(domainOf('Il mio sito www.bbvillaaurora.it è bianco da stamattina.'), 'bbvillaaurora.it', '"www." dropped');
  t.equal(domainOf('Our shop https://www.greenleafbakery.co.uk/wp-admin is dead; status.hostwell.com says all is fine.'), 'greenleafbakery.co.uk', 'a host with the company\'s name in it is the company\'s');
  t.equal(domainOf('Moving a.com and b.com to you.'), undefined, 'two domains: which one is meant is unknown');
  t.equal(domainOf('Firefox warns on https://shop.alpinegear-rentals.com only.'), undefined, 'a host under a domain is not the domain');
  t.equal(domainOf('Mail from anna@gmail.com bounces.'), undefined, 'an address is most often a mail provider\'s');
  t.equal(domainOf('Is https://hostwell.net/status down?'), undefined, "the company's own");
});

t.test('"example.com" in an article is written as the customer\'s domain, a third party\'s example name is not', async (t) => {
  const { text, replaced } = withCustomerDomain('Add a CNAME for www.example.com, read ~/logs/example.com.error.log, mail anna@example.com. Allow @supplier-example.com; client-example.org bounced.', 'bakery.co.uk');
  t.equal(text, 'Add a CNAME for www.bakery.co.uk, read ~/logs/bakery.co.uk.error.log, mail anna@bakery.co.uk. Allow @supplier-example.com; client-example.org bounced.');
  t.equal(replaced, 3);
  t.same(withCustomerDomain('Nothing to write.', 'bakery.co.uk'), { text: 'Nothing to write.', replaced: 0 });
});
