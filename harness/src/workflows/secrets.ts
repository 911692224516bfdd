// The secrets a workflow reads must be the ones the README's CI section tells a
// team to set: a misspelt name is an empty value at run time, found only in production.

/** Always there: GitHub makes it for every run. */
const builtIn = ['GITHUB_TOKEN'];

/**
 * The secret names of the README's CI section: the backticked UPPER_CASE names
 * of its `- Secrets:` item. Undefined when the README has no such item.
 */
export function documentedSecrets(readme: string): string[] | undefined {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => /^##\s+CI\b/.test(line));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  const first = section.findIndex((line) => /^[-*]\s+(\*\*)?Secrets\b/i.test(line));
  if (first < 0) return undefined;
  const rest = section.slice(first + 1);
  const next = rest.findIndex((line) => line.trim() === '' || /^[-*]\s/.test(line));
  const item = [section[first], ...rest.slice(0, next < 0 ? undefined : next)].join(' ');
  return [...item.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1] ?? '');
}

const expression = /\$\{\{(.*?)\}\}/g;
const secretReference = /\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']+)'\s*\])/g;

/** One line in actionlint's format per secret `path` reads that is not documented. */
export function undocumentedSecrets(path: string, text: string, documented: string[]): string[] {
  const known = new Set([...documented, ...builtIn].map((name) => name.toUpperCase()));
  const named = documented.filter((name) => !builtIn.includes(name)).join(', ') || 'none';
  return text.split('\n').flatMap((source, index) => {
    if (source.trimStart().startsWith('#')) return [];
    return [...source.matchAll(expression)].flatMap((expr) =>
      [...(expr[1] ?? '').matchAll(secretReference)].flatMap((ref) => {
        const name = ref[1] ?? ref[2] ?? '';
        if (known.has(name.toUpperCase())) return [];
        const column = expr.index + 3 + ref.index + 1;
        return [
          `${path}:${index + 1}:${column}: secret "${name}" is not one the README's CI section names (${named}; GITHUB_TOKEN is always there): fix the name, or add it to the README's "Secrets" item [secrets]`,
        ];
      }),
    );
  });
}
