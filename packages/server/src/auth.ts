import { createHash, timingSafeEqual } from 'node:crypto';
import { AnswerdeskError } from '@answerdesk/core';

/** read: suggest, search, triage, categorize, documents; write: articles, tickets, feedback; admin: everything, plus pruning publishes and training. */
export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** An API key as configured: the secret itself or its sha256 (hex), so config files need not hold secrets. */
export interface ApiKeyConfig {
  /** Who uses it; shown in logs, feedback and rate-limit messages, never the secret. */
  name: string;
  key?: string;
  sha256?: string;
  scopes: readonly Scope[];
  /** Requests per rate-limit window for this key. Default: the server's `rateLimit.max`. */
  rateLimit?: number;
  /**
   * The knowledge base (tenant) this key reads and writes: every request made
   * with it is scoped to that knowledge base. Only for a server on PostgreSQL
   * (a store folder is one knowledge base). Default: the server's default one.
   */
  knowledgeBase?: string;
}

/** A configured key, ready for constant-time comparison. */
export interface ApiKey {
  name: string;
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
  rateLimit?: number;
  knowledgeBase?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Knowledge-base (tenant) ids, as the database accepts them. */
export const KNOWLEDGE_BASE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_SECRET = 16;

const digestOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

const invalid = (option: string, reason: string) => new AnswerdeskError('ADK_OPTION_INVALID', { option, reason });

/** Check configured keys; secrets shorter than 16 characters are refused (generate one with `openssl rand -hex 24`). */
export function prepareKeys(configs: readonly ApiKeyConfig[]): ApiKey[] {
  const names = new Set<string>();
  return configs.map((config, i) => {
    const where = `keys[${i}]`;
    if (!config || typeof config !== 'object') throw invalid(where, 'must be an object with name, scopes and key or sha256');
    if (typeof config.name !== 'string' || !NAME.test(config.name)) throw invalid(`${where}.name`, 'must be a short name of letters, digits, ".", "_" or "-"');
    if (names.has(config.name)) throw invalid(`${where}.name`, `repeats the name "${config.name}"; each key needs its own name`);
    names.add(config.name);
    if (!Array.isArray(config.scopes) || config.scopes.length === 0 || config.scopes.some((s) => !SCOPES.includes(s))) {
      throw invalid(`${where}.scopes`, `must list one or more of ${SCOPES.join(', ')}`);
    }
    let digest: Buffer;
    if (typeof config.key === 'string') {
      if (config.key.length < MIN_SECRET) throw invalid(`${where}.key`, `is shorter than ${MIN_SECRET} characters; generate one with \`openssl rand -hex 24\``);
      digest = digestOf(config.key);
    } else if (typeof config.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(config.sha256)) {
      digest = Buffer.from(config.sha256, 'hex');
    } else {
      throw invalid(where, 'needs "key" (the secret) or "sha256" (its hex SHA-256)');
    }
    if (config.rateLimit !== undefined && !(Number.isInteger(config.rateLimit) && config.rateLimit > 0)) throw invalid(`${where}.rateLimit`, 'must be a positive whole number');
    if (config.knowledgeBase !== undefined && (typeof config.knowledgeBase !== 'string' || !KNOWLEDGE_BASE_ID.test(config.knowledgeBase))) {
      throw invalid(`${where}.knowledgeBase`, 'must be a knowledge-base id: 1–64 letters, digits, ".", "_" or "-"');
    }
    return {
      name: config.name,
      digest,
      scopes: new Set(config.scopes),
      ...(config.rateLimit ? { rateLimit: config.rateLimit } : {}),
      ...(config.knowledgeBase !== undefined ? { knowledgeBase: config.knowledgeBase } : {}),
    };
  });
}

/**
 * Keys from an environment variable: entries `name:scope+scope:secret`,
 * separated by commas or whitespace, e.g. `agents:read+write:3f9c…`. A key of
 * one knowledge base (tenant, on PostgreSQL) is `name@kb:scope+scope:secret`,
 * e.g. `acme-sync@acme:read+write:3f9c…`.
 */
export function parseApiKeys(text: string, variable = 'ANSWERDESK_API_KEYS'): ApiKeyConfig[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry, i) => {
      const first = entry.indexOf(':');
      const second = entry.indexOf(':', first + 1);
      if (first < 1 || second < 0) throw invalid(`${variable} entry ${i + 1}`, 'must look like name:scope+scope:secret, e.g. agents:read+write:<secret> (or name@knowledge-base:scope+scope:secret)');
      const scopes = entry.slice(first + 1, second).split('+') as Scope[];
      const who = entry.slice(0, first);
      const at = who.indexOf('@');
      // Names never hold "@" (prepareKeys checks them), so `name@kb` is unambiguous.
      if (at < 0) return { name: who, scopes, key: entry.slice(second + 1) };
      return { name: who.slice(0, at), knowledgeBase: who.slice(at + 1), scopes, key: entry.slice(second + 1) };
    });
}

/** The key a request presented (`Authorization: Bearer` or `X-Api-Key`), compared with every configured key in constant time. */
export function authenticate(keys: readonly ApiKey[], headers: Record<string, string | string[] | undefined>): ApiKey | undefined | 'invalid' {
  const auth = headers.authorization;
  const header = typeof auth === 'string' ? auth : undefined;
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  const apiKey = typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined;
  const secret = bearer ?? apiKey;
  if (secret === undefined) return header || apiKey !== undefined ? 'invalid' : undefined;
  const digest = digestOf(secret);
  let found: ApiKey | undefined;
  // No early exit: the time taken does not depend on which key (if any) matched.
  for (const key of keys) if (timingSafeEqual(key.digest, digest) && !found) found = key;
  return found ?? 'invalid';
}

export const hasScope = (key: ApiKey | undefined, scope: Scope): boolean => !!key && (key.scopes.has(scope) || key.scopes.has('admin'));
