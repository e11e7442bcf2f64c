/** Field path → line and column in the YAML source, for error messages. */
import type { Document, LineCounter, Node, ParsedNode } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

function keyOf(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * The position of the node at `path` (or of its key, with `atKey`). A path that leaves the document — a missing
 * required field, say — points at the deepest node that exists, which is the mapping that should hold it.
 */
export function locatePath(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  path: ReadonlyArray<string | number>,
  atKey = false,
): SourcePosition {
  let node: unknown = doc.contents;
  let found: Node | null = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === String(segment));
      if (pair === undefined) break;
      keyNode = pair.key;
      next = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    } else break;
    const last = i === path.length - 1;
    if (last && atKey && keyNode !== undefined) {
      found = keyNode as Node;
      break;
    }
    // `key:` with no value: point at the key.
    if (next === null || next === undefined) {
      found = (keyNode as Node | undefined) ?? found;
      break;
    }
    node = next;
    found = next as Node;
  }
  const offset = (found as ParsedNode | null)?.range?.[0] ?? 0;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}
