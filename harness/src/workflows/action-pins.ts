// Actions pinned to a commit with their tag beside it (`owner/repo@<sha> # v7.0.1`),
// and the same text with each pin swapped for its major tag: actionlint's data on
// popular actions is keyed by `owner/repo@v7`, so only that form gets its inputs checked.

export interface ActionPin {
  /** 1-based line of the `uses:`. */
  line: number;
  /** owner/repo, or owner/repo/path. */
  action: string;
  /** The major tag its version comment names: v7 for `# v7.0.1`. */
  major: string;
}

const pinned = /^(\s*(?:-\s+)?uses:\s+)([\w.-]+\/[\w./-]+)@([0-9a-f]{40})(\s+#\s*(v\d+)(?:\.\d+)*\b)/;

export function actionPins(text: string): ActionPin[] {
  return text.split('\n').flatMap((source, index) => {
    const match = pinned.exec(source);
    return match?.[2] && match[5] ? [{ line: index + 1, action: match[2], major: match[5] }] : [];
  });
}

/**
 * The workflow with every pin replaced by its major tag, padded to the pin's
 * length so that every line and column actionlint reports is the committed file's.
 */
export function withMajorTags(text: string): string {
  return text
    .split('\n')
    .map((source) =>
      source.replace(
        pinned,
        (_all, before: string, action: string, sha: string, comment: string, major: string) =>
          `${before}${action}@${major.padEnd(sha.length)}${comment}`,
      ),
    )
    .join('\n');
}
