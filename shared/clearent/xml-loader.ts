/**
 * The XML reader, loaded on the first XML answer. Clearent answers JSON when asked to, so XML is a
 * fallback, and its parser (fast-xml-parser) is not worth loading at every cold start. In a Lambda
 * bundle the reader is a file of its own beside `index.js` (`lazyBundles` in infra/bundling.ts);
 * anywhere else (tests, `npm start`) it is the module itself. The module name is not a literal, so
 * that esbuild leaves it out of the function's bundle.
 */
import { join } from 'node:path';
import { loadBesideOr } from '../lazy-file';

type XmlModule = typeof import('./xml');

/** The file the bundling writes beside the function's `index.js` (infra/bundling.ts). */
export const XML_READER_FILE = 'xml-reader.js';

let loaded: XmlModule | undefined;

function xmlModule(): XmlModule {
  loaded ??= loadBesideOr<XmlModule>(XML_READER_FILE, join(__dirname, 'xml'));
  return loaded;
}

/** As `parseXmlEnvelope` of ./xml, which it loads on its first call. */
export function parseXmlEnvelope(text: string): ReturnType<XmlModule['parseXmlEnvelope']> {
  return xmlModule().parseXmlEnvelope(text);
}
