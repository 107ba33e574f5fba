/**
 * HTML → plain text, for messages that arrive as HTML (Zammad keeps e-mails and web forms as HTML; a
 * helpdesk's API often sends the body as it stored it). The reader works on plain text: its greetings,
 * quoted replies ("> ") and sign-offs are lines.
 */

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '', ensp: ' ', emsp: ' ', thinsp: ' ', zwnj: '', zwj: '',
  ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»',
  euro: '€', pound: '£', yen: '¥', cent: '¢', copy: '©', reg: '®', trade: '™', deg: '°', times: '×', divide: '÷', bull: '•', middot: '·', sect: '§', para: '¶',
  auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', Eacute: 'É', egrave: 'è', Egrave: 'È', ecirc: 'ê',
  agrave: 'à', Agrave: 'À', aacute: 'á', acirc: 'â', igrave: 'ì', iacute: 'í', ograve: 'ò', oacute: 'ó', ocirc: 'ô', ugrave: 'ù', uacute: 'ú',
  ccedil: 'ç', Ccedil: 'Ç', ntilde: 'ñ', Ntilde: 'Ñ', aring: 'å', oslash: 'ø', aelig: 'æ',
};

/** "&amp;", "&#39;", "&#x2019;": a named, decimal or hexadecimal character reference, its name or number in group 1. */
const CHARACTER_REFERENCE = /&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

export function decodeEntities(text: string): string {
  return text.replace(CHARACTER_REFERENCE, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}


// Blocks that start a new line, and those that also leave a blank line around them (as browsers show them).
const LINE_BLOCKS = new Set(['div', 'li', 'tr', 'dt', 'dd', 'section', 'article', 'header', 'footer', 'address', 'figure', 'center', 'tbody', 'thead', 'main', 'nav', 'aside']);
const PARAGRAPH_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'table', 'pre', 'hr', 'blockquote']);
/** Elements whose content is never text a customer wrote. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

/**
 * Plain text of an HTML body (Zammad keeps e-mails and web forms as HTML): a block boundary starts
 * a line once (so `<div>a</div><div><br></div><div>b</div>` is "a", a blank line, "b", as a browser
 * shows it), paragraphs leave a blank line, list items start with `- `, quoted lines with `> ` (so
 * the message reader removes a quoted reply as it does in plain e-mails), scripts, styles and
 * comments are dropped, entities decoded. One pass, no backtracking regex over the body: a payload
 * is untrusted, and a crafted one (a megabyte of `<`) must cost no more than a plain one.
 */
export function htmlToText(html: string): string {
  const lines: Array<{ depth: number; text: string }> = [];
  let line: { depth: number; text: string } | undefined;
  let depth = 0;
  let pre = 0;
  const finish = () => {
    if (line && line.text.trim() !== '') lines.push(line);
    line = undefined;
  };
  const boundary = (paragraph: boolean) => {
    finish();
    const last = lines[lines.length - 1];
    if (paragraph && last && last.text !== '') lines.push({ depth: Math.min(depth, last.depth), text: '' });
  };
  const hardBreak = () => {
    lines.push(line ?? { depth, text: '' });
    line = undefined;
  };
  const append = (raw: string) => {
    const decoded = decodeEntities(raw).replace(/\u00a0/g, ' ');
    const parts = pre ? decoded.split(/\r?\n/) : [decoded.replace(/\s+/g, ' ')];
    parts.forEach((part, i) => {
      if (i > 0) hardBreak();
      const text = line ? part : part.replace(/^\s+/, '');
      if (!text) return;
      line ??= { depth, text: '' };
      line.text += text;
    });
  };
  let i = 0;
  // Text runs from here to the next tag; a "<" that opens no tag stays in it.
  let textStart = 0;
  let nextGt = -1;
  const flush = (end: number) => {
    if (end > textStart) append(html.slice(textStart, end));
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      flush(lt);
      const end = html.indexOf('-->', lt + 4);
      i = textStart = end < 0 ? html.length : end + 3;
      continue;
    }
    // The next ">" is found once for every "<" before it, so a run of "<" costs one scan.
    if (nextGt < lt) nextGt = html.indexOf('>', lt);
    if (nextGt < 0) break;
    const tag = /^(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(html.slice(lt + 1, Math.min(nextGt, lt + 40)));
    if (!tag) {
      i = lt + 1;
      continue;
    }
    flush(lt);
    const closing = tag[1] === '/';
    const name = tag[2]!.toLowerCase();
    i = textStart = nextGt + 1;
    if (SKIPPED.has(name) && !closing) {
      const close = new RegExp(`</${name}\\b[^>]{0,100}>`, 'gi');
      close.lastIndex = i;
      const found = close.exec(html);
      i = textStart = found ? close.lastIndex : html.length;
      continue;
    }
    if (name === 'br') hardBreak();
    else if (name === 'blockquote') {
      boundary(true);
      depth = Math.max(0, depth + (closing ? -1 : 1));
    } else if (name === 'pre') {
      boundary(true);
      pre = Math.max(0, pre + (closing ? -1 : 1));
    } else if (name === 'li' && !closing) {
      boundary(false);
      line = { depth, text: '- ' };
    } else if ((name === 'td' || name === 'th') && closing) append(' ');
    else if (PARAGRAPH_BLOCKS.has(name)) boundary(true);
    else if (LINE_BLOCKS.has(name)) boundary(false);
  }
  flush(html.length);
  finish();
  // A quote closing at the end leaves blank quoted lines (">") that trim() would not remove.
  while (lines.length && lines[lines.length - 1]!.text.trim() === '') lines.pop();
  const rendered = lines.map(({ depth: d, text }) => {
    const quote = '> '.repeat(d);
    const clean = text.replace(/[ \t]+/g, ' ').trim();
    return clean ? `${quote}${clean}` : quote.trimEnd();
  });
  return rendered.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

// Enough to tell HTML from text; no `[^>]*` after it, which would backtrack over a crafted body.
const LOOKS_HTML = /<(?:p|div|br|span|html|body|table|blockquote|ul|ol|li|strong|b|i|em|a|img|h[1-6])\b/i;

/** The text holds HTML markup a helpdesk or mail client would send (`<p>`, `<div>`, `<br>`…), not just a "<" in a sentence. Pure. */
export function looksLikeHtml(text: string): boolean {
  return LOOKS_HTML.test(text);
}

/**
 * The text is an HTML body: it starts with markup and holds some, or its line breaks are `<br>` tags. A plain
 * message that quotes markup ("Why won't my <div> center?", a hosting customer's code) starts with words and
 * stays as written. Pure.
 */
export function isHtmlBody(text: string): boolean {
  if (/^\s*</u.test(text) && LOOKS_HTML.test(text)) return true;
  // A body flattened into one line of text, its line breaks left as tags ("Hello,<br><br>I have…"), as some
  // helpdesk exports and contact forms send it: more <br> tags than line breaks, two at least.
  const breaks = text.match(/<br\s*\/?>/giu)?.length ?? 0;
  return breaks >= 2 && breaks > (text.match(/\n/gu)?.length ?? 0);
}

/**
 * The plain text still holds HTML's character references ("it&#39;s", "&quot;Forgot password&quot;", "&nbsp;"):
 * two or more, so one "&amp;" in a pasted link is left as written. Pure.
 */
export function hasCharacterReferences(text: string): boolean {
  let found = 0;
  for (const match of text.matchAll(CHARACTER_REFERENCE)) {
    if (match[1]!.startsWith('#') || ENTITIES[match[1]!] !== undefined) found++;
    if (found >= 2) return true;
  }
  return false;
}
