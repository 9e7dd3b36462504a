/**
 * Clearent's XML answers, reshaped into the JSON envelope so that one schema validates both.
 * Elements are named as the JSON keys; `<payload type="...">` carries `payloadType`; `links` repeat.
 */
import { XMLParser } from 'fast-xml-parser';

const ATTRIBUTE = '@_';
const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  textNodeName: TEXT,
  // Values stay strings, as in the JSON envelope: "0010" must not become 10.
  parseTagValue: false,
  // No entity is expanded by the parser, declared ones least of all (a "billion laughs" document would
  // grow without bound); XML's own five and character references are decoded below, once.
  processEntities: false,
  htmlEntities: false,
  isArray: (_name, path) => path === 'response.links',
});

/** Clearent's answers declare no document type; one that does is refused rather than read. */
const DOCTYPE = /<!DOCTYPE/i;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes XML's predefined entities and character references in one pass: nothing is expanded twice. */
function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (reference, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : reference;
    }
    return PREDEFINED[name] ?? reference;
  });
}

type XmlNode = string | XmlNode[] | { [name: string]: XmlNode };

function isElement(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Drops attributes and empty elements (`<invoice/>` means "not set"), and unwraps text-with-attributes. */
function toJsonShape(node: unknown): XmlNode | undefined {
  if (Array.isArray(node)) {
    return node.map(toJsonShape).filter((item): item is XmlNode => item !== undefined);
  }
  if (!isElement(node)) {
    return typeof node === 'string' && node !== '' ? decodeText(node) : undefined;
  }
  const names = Object.keys(node);
  if (TEXT in node && names.every((name) => name === TEXT || name.startsWith(ATTRIBUTE))) {
    return toJsonShape(node[TEXT]);
  }
  const shaped: Record<string, XmlNode> = {};
  for (const name of names) {
    if (name.startsWith(ATTRIBUTE) || name === TEXT) continue;
    const child = toJsonShape(node[name]);
    if (child !== undefined) shaped[name] = child;
  }
  return shaped;
}

/** `<links><link>…</link></links>` is also seen in XML APIs: accept it as well as repeated `<links>`. */
function flattenLinks(links: XmlNode | undefined): XmlNode | undefined {
  if (!Array.isArray(links)) return links;
  return links.flatMap((entry) => (isElement(entry) && entry.link !== undefined ? entry.link : [entry]));
}

/**
 * Parses a `<response>` document into the JSON envelope's shape.
 * Throws on anything that is not well-formed XML with a `<response>` root, and on a document type
 * declaration (entities are never expanded).
 *
 * @example
 * parseXmlEnvelope('<response><code>200</code><payload type="transaction">…</payload></response>');
 * // { code: '200', payload: { payloadType: 'transaction', transaction: {…} } }
 */
export function parseXmlEnvelope(text: string): Record<string, XmlNode> {
  if (DOCTYPE.test(text)) throw new Error('XML answer declares a document type');
  const document: unknown = parser.parse(text, true);
  const response = isElement(document) ? document.response : undefined;
  const shaped = toJsonShape(response);
  if (!isElement(response) || !isElement(shaped)) {
    throw new Error('XML answer has no <response> element');
  }
  const payloadType = isElement(response.payload) ? response.payload[`${ATTRIBUTE}type`] : undefined;
  if (typeof payloadType === 'string' && payloadType !== '') {
    shaped.payload = { ...(isElement(shaped.payload) ? shaped.payload : {}), payloadType };
  }
  const links = flattenLinks(shaped.links);
  if (links !== undefined) shaped.links = links;
  return shaped;
}
