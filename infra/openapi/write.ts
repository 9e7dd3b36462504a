/**
 * `npm run openapi`: writes the OpenAPI document (./document.ts) to docs/openapi.json, which
 * `GET /openapi.json` serves.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiDocument } from './document';

/** Where the document is committed: `GET /openapi.json` serves this file. */
export const documentPath = path.join(__dirname, '..', '..', 'docs', 'openapi.json');

/** The file's exact text: two-space JSON and a final newline. */
export const documentText = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(documentPath, documentText());
  console.log(`wrote ${path.relative(process.cwd(), documentPath)}`);
}
