#!/usr/bin/env node
/**
 * Checks that every relative link in the guides points somewhere: README.md, docs/*.md,
 * docs/decisions/*.md and packages/*\/README.md. A link to a file must name an existing file or
 * folder; a `#anchor` (alone, or after a Markdown file) must name a heading of that file, by
 * GitHub's slug rules. External links (`https:`, `mailto:`, `//host`) are not fetched.
 *
 *   node scripts/check-links.mjs            exit 0 when every link resolves, 1 listing the broken ones
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files to check, relative to the repository root. */
function filesToCheck() {
  const mdIn = (dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((name) => name.endsWith('.md'))
          .sort()
          .map((name) => join(dir, name))
      : [];
  const packages = existsSync(join(root, 'packages'))
    ? readdirSync(join(root, 'packages'))
        .sort()
        .map((name) => join('packages', name, 'README.md'))
        .filter((path) => existsSync(join(root, path)))
    : [];
  return ['README.md', ...mdIn('docs'), ...mdIn('docs/decisions'), ...packages].filter((path) =>
    existsSync(join(root, path)),
  );
}

/** The lines of a Markdown file outside fenced code blocks and front matter, with their line numbers. */
function proseLines(text) {
  const lines = text.split(/\r?\n/);
  const out = [];
  let fence = null;
  let start = 0;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) start = end + 1;
  }
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (
        marker &&
        marker[1][0] === fence[0] &&
        marker[1].length >= fence.length &&
        line.trim() === marker[1].padEnd(line.trim().length, marker[1][0])
      )
        fence = null;
      continue;
    }
    if (marker) {
      fence = marker[1];
      continue;
    }
    out.push({ number: i + 1, line });
  }
  return out;
}

/** A line without its inline code spans, so `[x](y)` inside backticks is not a link. */
function withoutCodeSpans(line) {
  return line.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length));
}

/** Every link target of a line: inline `[text](target "title")`, images, reference definitions and HTML href/src. */
function linkTargets(line) {
  const targets = [];
  const inline = /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
  for (const match of line.matchAll(inline)) targets.push(match[1].replace(/^<|>$/g, ''));
  const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
  if (definition) targets.push(definition[1].replace(/^<|>$/g, ''));
  for (const match of line.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)) targets.push(match[1]);
  return targets;
}

/** GitHub's heading slug (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  const text = heading
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

const anchorCache = new Map();

/** The anchors a Markdown file offers: one per ATX or setext heading (duplicates get -1, -2, …), plus HTML ids and names. */
function anchorsOf(path) {
  let anchors = anchorCache.get(path);
  if (anchors) return anchors;
  anchors = new Set();
  const seen = new Map();
  const add = (heading) => {
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  };
  const lines = proseLines(readFileSync(path, 'utf8'));
  for (let i = 0; i < lines.length; i++) {
    const { line } = lines[i];
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(line);
    if (atx) add(atx[1]);
    else if (
      i + 1 < lines.length &&
      lines[i + 1].number === lines[i].number + 1 &&
      /^\s{0,3}(=+|-+)\s*$/.test(lines[i + 1].line) &&
      line.trim() !== '' &&
      !/^\s{0,3}([-*+]|\d+[.)])\s/.test(line) &&
      !line.includes('|')
    )
      add(line.trim());
    for (const match of line.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/g)) anchors.add(match[1]);
  }
  anchorCache.set(path, anchors);
  return anchors;
}

function isExternal(target) {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

function check(file) {
  const broken = [];
  const absolute = join(root, file);
  for (const { number, line } of proseLines(readFileSync(absolute, 'utf8'))) {
    for (const target of linkTargets(withoutCodeSpans(line))) {
      if (target === '' || isExternal(target)) continue;
      const hashAt = target.indexOf('#');
      const pathPart = (hashAt === -1 ? target : target.slice(0, hashAt)).replace(/\?.*$/, '');
      const anchor = hashAt === -1 ? undefined : target.slice(hashAt + 1);
      let decoded;
      try {
        decoded = decodeURIComponent(pathPart);
      } catch {
        decoded = pathPart;
      }
      const resolved =
        pathPart === ''
          ? absolute
          : decoded.startsWith('/')
            ? join(root, decoded)
            : resolve(dirname(absolute), decoded);
      const where = `${file}:${number}`;
      if (!existsSync(resolved)) {
        broken.push(`${where}: ${target} (no file ${relative(root, resolved) || '.'})`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) continue;
      let wanted;
      try {
        wanted = decodeURIComponent(anchor).toLowerCase();
      } catch {
        wanted = anchor.toLowerCase();
      }
      if (!anchorsOf(resolved).has(wanted))
        broken.push(`${where}: ${target} (no heading #${anchor} in ${relative(root, resolved)})`);
    }
  }
  return broken;
}

const files = filesToCheck();
const broken = files.flatMap(check);
if (broken.length > 0) {
  console.error(`check-links: ${broken.length} broken link${broken.length === 1 ? '' : 's'} in ${files.length} files:`);
  for (const line of broken) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-links: every relative link in ${files.length} files resolves.`);
