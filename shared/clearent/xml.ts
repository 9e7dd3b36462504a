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
  isArray: (_name, path) => path === 'response.links',
});

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
    return typeof node === 'string' && node !== '' ? node : undefined;
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
 * Throws on anything that is not well-formed XML with a `<response>` root.
 *
 * @example
 * parseXmlEnvelope('<response><code>200</code><payload type="transaction">…</payload></response>');
 * // { code: '200', payload: { payloadType: 'transaction', transaction: {…} } }
 */
export function parseXmlEnvelope(text: string): Record<string, XmlNode> {
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
