/**
 * The anchors GitHub gives a Markdown document's headings (github-slugger): lower case, everything
 * but letters, digits, spaces, `-` and `_` dropped, each space a `-`, repeats suffixed -1, -2, ...
 */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    const heading = inFence ? null : /^#{1,6}\s+(.+?)\s*$/.exec(line);
    if (!heading) {
      continue;
    }
    const slug = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const repeat = seen.get(slug) ?? 0;
    seen.set(slug, repeat + 1);
    anchors.add(repeat === 0 ? slug : `${slug}-${repeat}`);
  }
  return anchors;
}

/** Anchors of the document's links to its own headings: `[text](#anchor)`. */
export function internalLinkAnchors(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
}
