/*
 * What is wrong with the repository's Markdown: relative links to files that
 * do not exist, `#anchors` that match no heading, and backticked repository
 * paths that name nothing. Pure over the texts it is given and an `exists`
 * question, so the tests can feed it broken documents.
 */
import path from 'node:path';

/** The anchor GitHub gives a heading: lower case, punctuation (backticks included) removed, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text outside fenced code blocks, line by line (fenced lines become empty, so line numbers hold). */
function outsideFences(text: string): string[] {
  let fence: string | null = null;
  return text.split('\n').map((line) => {
    const opener = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence === null && opener !== undefined) {
      fence = opener;
      return '';
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      return '';
    }
    return line;
  });
}

/** Every anchor the document's headings get, duplicates numbered as GitHub does (`-1`, `-2`). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of outsideFences(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Inline code spans of one line. */
function codeSpans(line: string): string[] {
  return [...line.matchAll(/(`+)(.+?)\1/g)].map((m) => (m[2] as string).trim());
}

const PATH_PREFIX = /^(src|test|bench|deploy|docs|scripts|examples)\//;
/** Placeholders and patterns, not paths: `src/<folder>`, `bench/*.ts`, `docs/…`, `{a,b}`. */
const PLACEHOLDER = /[<*…{]/;

export interface MarkdownDocument {
  /** Repository-relative path with forward slashes, e.g. `docs/deploy.md`. */
  file: string;
  text: string;
}

export interface RepositoryView {
  /** Whether a repository-relative path names a file or directory. */
  exists(repoPath: string): boolean;
  /** The text of a repository-relative Markdown file, or undefined when there is none. */
  markdown(repoPath: string): string | undefined;
}

/** One line per problem: `file:line: what`. Empty when the documents are sound. */
export function markdownProblems(documents: readonly MarkdownDocument[], repo: RepositoryView): string[] {
  const problems: string[] = [];
  const anchorsOf = new Map<string, Set<string> | undefined>();
  const anchors = (file: string): Set<string> | undefined => {
    if (!anchorsOf.has(file)) {
      const text = repo.markdown(file);
      anchorsOf.set(file, text === undefined ? undefined : headingAnchors(text));
    }
    return anchorsOf.get(file);
  };

  for (const doc of documents) {
    const dir = path.posix.dirname(doc.file);
    outsideFences(doc.text).forEach((line, i) => {
      const at = `${doc.file}:${i + 1}`;
      const prose = line.replace(/(`+).+?\1/g, '');
      for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = m[1] as string;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const hash = target.indexOf('#');
        const linkPath = hash === -1 ? target : target.slice(0, hash);
        const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
        const resolved = linkPath === '' ? doc.file : path.posix.normalize(path.posix.join(dir, linkPath));
        if (resolved.startsWith('../') || !repo.exists(resolved)) {
          problems.push(`${at}: link to ${target}: ${resolved} does not exist`);
          continue;
        }
        if (anchor === undefined) continue;
        const known = anchors(resolved);
        if (known === undefined)
          problems.push(`${at}: link to ${target}: ${resolved} is not Markdown, it has no headings`);
        else if (!known.has(anchor)) problems.push(`${at}: link to ${target}: ${resolved} has no heading #${anchor}`);
      }
      for (const span of codeSpans(line)) {
        const words = span.split(/\s+/);
        for (const word of words) {
          const candidate = word.replace(/[),.;:]+$/, '');
          if (!PATH_PREFIX.test(candidate) || PLACEHOLDER.test(candidate)) continue;
          // In a command, only words with an extension are files (`kubectl logs deploy/lekha` names no path).
          if (words.length > 1 && !/\.[a-z]+$/i.test(candidate)) continue;
          if (!repo.exists(candidate.replace(/\/$/, ''))) problems.push(`${at}: \`${candidate}\` does not exist`);
        }
      }
    });
  }
  return problems;
}
