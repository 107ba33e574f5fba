import t from 'tap';
import { holdingKind, servicesNamed, servicesSpokenOf } from '@answerdesk/message';

t.test('an account, password or subscription the customer holds with a named service', async (t) => {
  const named = (text: string) => servicesNamed(text).map((service) => [service.name, service.holding]);
  t.same(named('I forgot the password for my Netflix account'), [['Netflix', 'account']]);
  t.same(named('My iCloud storage is full'), [['iCloud', 'storage']]);
  t.same(named('Our Google Workspace login stopped working'), [['Google Workspace', 'login']]);
  t.same(named('Ho dimenticato la password del mio account Spotify'), [['Spotify', 'account']]);
  t.same(named('Mein Netflix-Konto wurde gesperrt'), [['Netflix', 'Konto']]);
  t.same(named('мой аккаунт в Steam взломали'), [['Steam', 'аккаунт']]);
  t.same(named('My account was hacked'), [], 'no name: the account is ours');
  t.same(named('my DHL parcel is late'), [], 'a parcel may be ours, sent with a carrier the articles never name');
  t.same(named('il mio account spotify'), [], 'a name is written with its capital');
  const [mention] = servicesNamed('Help! my Netflix account is locked');
  t.equal('Help! my Netflix account is locked'.slice(mention!.start, mention!.end), 'my Netflix account', 'offsets in the text');
});

t.test('what a text speaks of holding with a service, whoever holds it; the kind of holding', async (t) => {
  const spoken = (text: string) => servicesSpokenOf(text).map((service) => [service.name, service.kind]);
  t.same(spoken('Sign in to your Brightcart account, or pay from a PayPal account.'), [['Brightcart', 'account'], ['PayPal', 'account']]);
  t.same(spoken('Add the mailbox to the Gmail app.'), [['Gmail', 'app']]);
  t.same(spoken('Melden Sie sich im Hostwell-Konto an.'), [['Hostwell', 'account']]);
  t.same(spoken("Accedi all'account di Brightcart."), [['Brightcart', 'account']]);
  t.same(spoken('Your Brightcart account'), [['Your Brightcart', 'account']], 'a capital at the start is read into the name: the caller keeps its last word too');
  t.same(['login', 'Passwort', 'пароль', 'inbox', 'Abo', 'membership', 'app', 'backup'].map(holdingKind), ['account', 'account', 'account', 'account', 'subscription', 'subscription', 'app', 'storage']);
  t.equal(servicesNamed('my Netflix password')[0]?.kind, 'account', 'a customer\'s mention has its kind too');
});
