/**
 * Help articles write "example.com" for the customer's own domain ("add a CNAME for www.example.com",
 * "~/logs/example.com.error.log"). In a reply to a customer who named their domain, it is theirs.
 */
import { entityHost } from './adapt.js';
import type { Entity } from './types.js';

// Not inside another name: "client-example.org" and "supplier-example.com" are a third party's.
const EXAMPLE_DOMAIN = /(?<![\p{L}\p{N}_-])example\.com(?![\p{L}\p{N}_-])/giu;

/** Second-level labels a country's registrable domains sit under ("co.uk", "com.au"). */
const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'ltd', 'plc', 'me']);

/** A domain someone registers ("bakery.co.uk"), not a host under one ("shop.bakery.co.uk"). Pure. */
function registrable(host: string): boolean {
  const labels = host.split('.');
  return labels.length === 2 || (labels.length === 3 && labels[2]!.length === 2 && SECOND_LEVEL.has(labels[1]!));
}

/**
 * The one domain the customer's message names as a site (a domain or a link, "www." dropped), or undefined when
 * it names none or several. The company's own domains, and any with the company's name in them ("status.hostwell.com"
 * when "hostwell.net" is published), are not the customer's. Addresses at a domain are left out: most are a mail
 * provider's. Pure.
 */
export function customerDomain(entities: readonly Entity[], ownDomains: readonly string[]): string | undefined {
  const own = ownDomains.map((domain) => domain.toLowerCase().replace(/^\.|\.$/g, '')).filter(Boolean);
  const ownNames = new Set(own.map((domain) => domain.split('.')[0]!).filter((name) => name !== 'www'));
  const hosts = new Set<string>();
  for (const entity of entities) {
    if (entity.kind !== 'domain' && entity.kind !== 'url') continue;
    const host = entityHost(entity)?.replace(/^www\./, '');
    if (!host || own.some((domain) => host === domain || host.endsWith(`.${domain}`)) || host.split('.').some((label) => ownNames.has(label))) continue;
    hosts.add(host);
  }
  const [only] = hosts;
  return hosts.size === 1 && registrable(only!) ? only : undefined;
}

/** The text with the articles' "example.com" written as the customer's domain, and how many times it was. Pure. */
export function withCustomerDomain(text: string, domain: string): { text: string; replaced: number } {
  let replaced = 0;
  const out = text.replace(EXAMPLE_DOMAIN, () => {
    replaced++;
    return domain;
  });
  return { text: out, replaced };
}
