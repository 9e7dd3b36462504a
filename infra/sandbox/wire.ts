/**
 * Clearent's response envelope and its two renderings: JSON, and XML with root `<response>` and
 * `<payload type="...">`. Keys are hyphenated and values are strings, as Clearent sends them.
 */
import { XMLBuilder } from 'fast-xml-parser';

/** A field value as Clearent sends it; `undefined` fields are left out of both renderings. */
export type WireValue = string | boolean | WireObject | WireObject[] | undefined;

export interface WireObject {
  [key: string]: WireValue;
}

export interface WireLink {
  [key: string]: string;
  rel: 'transaction' | 'token' | 'self';
  href: string;
  id: string;
}

export interface WirePayload {
  [key: string]: WireValue;
  payloadType: string;
}

/** The JSON shape of every Clearent answer. */
export interface Envelope {
  code: string;
  status: 'success' | 'fail';
  'exchange-id'?: string;
  links?: WireLink[];
  payload: WirePayload;
}

/** `204 No Content`: no body at all, in either rendering (how Clearent may answer a search finding nothing). */
export interface NoContent {
  readonly noContent: true;
}

export const NO_CONTENT: NoContent = Object.freeze({ noContent: true });

/** What a gateway handler answers. */
export type GatewayReply = Envelope | NoContent;

const XML_DECLARATION = { '@_version': '1.0', '@_encoding': 'UTF-8', '@_standalone': 'yes' };

const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** The HTTP status an envelope is answered with (its `code`). */
export function httpStatusOf(envelope: Envelope): number {
  return Number(envelope.code);
}

/** Clearent answers JSON only when asked for it; otherwise it has been seen answering XML. */
export function wantsJson(accept: string | undefined): boolean {
  return accept?.toLowerCase().includes('json') ?? false;
}

export function renderJson(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/**
 * XML as Clearent sends it: `payloadType` becomes `<payload type="...">` (a decline carrying a
 * transaction is `errorTransaction`), and each link is a repeated `<links>` element.
 */
export function renderXml(envelope: Envelope): string {
  const { payloadType, ...payloadObjects } = envelope.payload;
  const xmlType = payloadType === 'error' && payloadObjects.transaction ? 'errorTransaction' : payloadType;
  return xmlBuilder.build({
    '?xml': XML_DECLARATION,
    // The builder leaves out undefined fields, as JSON.stringify does.
    response: {
      code: envelope.code,
      status: envelope.status,
      'exchange-id': envelope['exchange-id'],
      links: envelope.links,
      payload: { '@_type': xmlType, ...payloadObjects },
    },
  });
}

/** Clearent's timestamp format, in UTC: `2025-05-08 18:56:50.930`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
