/**
 * A small XML reader for list files (the UN consolidated list): elements, attributes, text,
 * CDATA, comments, processing instructions, the five predefined entities and character references.
 * It refuses DOCTYPE declarations outright, so no external entity (XXE) or entity expansion
 * ("billion laughs") can happen, and it limits nesting depth. Namespaces are kept as written.
 */
export type XmlElement = { name: string; attributes: Record<string, string>; children: XmlElement[]; text: string };

const MAX_DEPTH = 64;
const NAME = /^[A-Za-z_][\w.:-]*/;

function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, ref: string) => {
    if (ref === 'amp') return '&';
    if (ref === 'lt') return '<';
    if (ref === 'gt') return '>';
    if (ref === 'quot') return '"';
    if (ref === 'apos') return "'";
    const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff) throw new Error('XML: bad character reference');
    return String.fromCodePoint(code);
  });
}

/** Parses a document and returns its root element; throws Error('XML: ...') on anything malformed. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const expectEnd = (marker: string, what: string) => {
    const end = text.indexOf(marker, i);
    if (end < 0) throw new Error(`XML: unterminated ${what}`);
    return end;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.trim() !== '') {
      const top = stack[stack.length - 1];
      if (!top) throw new Error('XML: text outside the root element');
      top.text += decodeEntities(chunk);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      i = expectEnd('-->', 'comment') + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = expectEnd(']]>', 'CDATA section');
      const top = stack[stack.length - 1];
      if (!top) throw new Error('XML: CDATA outside the root element');
      top.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      i = expectEnd('?>', 'processing instruction') + 2;
    } else if (text.startsWith('<!', i)) {
      throw new Error('XML: DOCTYPE and other declarations are refused');
    } else if (text.startsWith('</', i)) {
      const end = expectEnd('>', 'end tag');
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error('XML: mismatched end tag');
      open.text = open.text.trim();
      i = end + 1;
    } else {
      i = readStartTag(text, i + 1, stack, (element) => {
        if (stack.length === 0) {
          if (root) throw new Error('XML: more than one root element');
          root = element;
        } else stack[stack.length - 1]!.children.push(element);
      });
    }
  }
  if (stack.length > 0) throw new Error('XML: unclosed element');
  if (!root) throw new Error('XML: no root element');
  return root;
}

function readStartTag(text: string, from: number, stack: XmlElement[], attach: (e: XmlElement) => void): number {
  let i = from;
  const name = NAME.exec(text.slice(i, i + 200))?.[0];
  if (!name) throw new Error('XML: bad tag name');
  i += name.length;
  const element: XmlElement = { name, attributes: {}, children: [], text: '' };
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) throw new Error('XML: unterminated start tag');
    if (text.startsWith('/>', i)) {
      attach(element);
      return i + 2;
    }
    if (text[i] === '>') {
      attach(element);
      if (stack.length >= MAX_DEPTH) throw new Error('XML: nested too deeply');
      stack.push(element);
      return i + 1;
    }
    const attr = NAME.exec(text.slice(i, i + 200))?.[0];
    if (!attr) throw new Error('XML: bad attribute');
    i += attr.length;
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] !== '=') throw new Error('XML: attribute without a value');
    i++;
    while (/\s/.test(text[i] ?? '')) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw new Error('XML: unquoted attribute');
    const end = text.indexOf(quote, i + 1);
    if (end < 0) throw new Error('XML: unterminated attribute');
    element.attributes[attr] = decodeEntities(text.slice(i + 1, end));
    i = end + 1;
  }
}

/** The direct children called name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text of the first direct child called name, '' when absent. */
export function childText(element: XmlElement, name: string): string {
  return element.children.find((c) => c.name === name)?.text ?? '';
}
