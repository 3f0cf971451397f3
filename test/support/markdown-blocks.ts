/**
 * The fenced code blocks of a markdown document, with the HTML comment that may stand
 * right before each (only blank lines between). Two comments mean something:
 *
 * - `<!-- file: src/worker.ts -->`: the block is that whole file of an app. The doc test
 *   compiles a document's file blocks together, in one folder, so they import each other;
 *   the package smoke test writes the README's into fresh Nest apps.
 * - `<!-- context: ... -->`: the block is a fragment; the comment holds the code around
 *   it, with a line `<block>` where the block goes (without that line, everything comes
 *   before the block). Imports and declarations live there, out of the reader's way.
 *
 * A TypeScript block with neither comment must compile as it is, as a whole file.
 */
export interface MarkdownBlock {
  /** The document's path, as given. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's language (`ts`, `json`, `bash`...), '' when none. */
  lang: string;
  /** The block's text, its indentation (inside a list item) removed. */
  code: string;
  /** From `<!-- file: PATH -->`. */
  file?: string;
  /** From `<!-- context: ... -->`: the code before and after the block. */
  context?: { before: string; after: string };
}

const FENCE = /^(\s*)(`{3,})\s*([\w-]*)\s*$/;

export function markdownBlocks(doc: string, text: string): MarkdownBlock[] {
  const lines = text.split('\n');
  const blocks: MarkdownBlock[] = [];
  let comment: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim().startsWith('<!--')) {
      const start = i;
      while (!lines[i].includes('-->')) {
        i++;
        if (i >= lines.length)
          throw new Error(`${doc}:${start + 1}: an HTML comment never closes`);
      }
      comment = lines
        .slice(start, i + 1)
        .join('\n')
        .replace(/^\s*<!--/, '')
        .replace(/-->\s*$/, '');
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) {
      if (line.trim() !== '') comment = undefined;
      continue;
    }
    const [, indent, ticks, lang] = fence;
    const start = i;
    const body: string[] = [];
    for (i++; ; i++) {
      if (i >= lines.length)
        throw new Error(`${doc}:${start + 1}: a code block never closes`);
      if (lines[i].trim() === ticks) break;
      body.push(
        lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i],
      );
    }
    blocks.push({
      doc,
      line: start + 1,
      lang,
      code: body.join('\n'),
      ...readComment(doc, start + 1, comment),
    });
    comment = undefined;
  }
  return blocks;
}

function readComment(
  doc: string,
  line: number,
  comment: string | undefined,
): Pick<MarkdownBlock, 'file' | 'context'> {
  const trimmed = comment?.trim();
  if (!trimmed) return {};
  const file = /^file:\s*(\S+)$/.exec(trimmed);
  if (file) return { file: file[1] };
  const context = /^context:[ \t]*\n?([\s\S]*)$/.exec(trimmed);
  if (!context) return {};
  const parts = context[1].split(/^<block>$/m);
  if (parts.length > 2)
    throw new Error(
      `${doc}:${line}: the context has more than one <block> line`,
    );
  return {
    context: {
      before: dropLastNewline(parts[0]),
      after: (parts[1] ?? '').replace(/^\n/, ''),
    },
  };
}

function dropLastNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
