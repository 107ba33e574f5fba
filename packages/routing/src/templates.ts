/** Placeholders a template may use besides `{fields.NAME}` and `{labels.NAME}`. */
export const TEMPLATE_NAMES = ['category', 'level', 'priority', 'language', 'channel', 'queue', 'team'] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Every `{name}` in a template, in order. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/** Why a template cannot be used, or undefined when it is fine. Checked when rules are parsed, so routing never meets a bad one. */
export function templateProblem(template: string): string | undefined {
  const stray = template.replace(PLACEHOLDER, '');
  if (stray.includes('{') || stray.includes('}')) {
    return `"${template}" has an unmatched brace; placeholders look like {category} or {fields.storeId}`;
  }
  for (const name of placeholdersOf(template)) {
    if (!isKnownPlaceholder(name)) {
      return `"${template}" uses the unknown placeholder {${name}}; use one of ${TEMPLATE_NAMES.map((n) => `{${n}}`).join(', ')}, {fields.NAME} or {labels.NAME}`;
    }
  }
  return undefined;
}

function isKnownPlaceholder(name: string): boolean {
  return (TEMPLATE_NAMES as readonly string[]).includes(name) || /^(fields|labels)\.[^\s.]+$/.test(name);
}

/**
 * Fill a template. `valueOf` gives the text for a placeholder name, or undefined
 * when the message has no such value; the first such name is returned as
 * `missing`, because a tag or key with a hole in it would be silently wrong.
 */
export function fillTemplate(
  template: string,
  valueOf: (name: string) => string | undefined,
): { text: string; missing?: undefined } | { text?: undefined; missing: string } {
  let missing: string | undefined;
  const text = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = valueOf(name);
    if (value === undefined || value === '') missing ??= name;
    return value ?? '';
  });
  return missing === undefined ? { text } : { missing };
}
