/**
 * Every error class that can be thrown declares the `name` logs and callers recognize it by (undeclared,
 * it is `Error`'s), never relying on the class's own name, which minification changes (infra/bundling.ts
 * does not keep names).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const projectRoot = join(__dirname, '..', '..');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('Error classes in Lambda code', () => {
  it('each declare their name (abstract bases excepted)', () => {
    const missing: string[] = [];
    let classes = 0;
    for (const file of [
      ...sources(join(projectRoot, 'shared')),
      ...sources(join(projectRoot, 'functions')),
    ]) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(
        /^export (abstract )?class (\w+)(?:<[^>]*>)? extends [\w.<>]*Error\b[^{]*\{/gm,
      )) {
        if (match[1]) continue;
        classes += 1;
        const body = text.slice(match.index ?? 0, (match.index ?? 0) + 400);
        if (!body.includes(`override readonly name = '${match[2]}'`)) missing.push(`${match[2]} (${file})`);
      }
    }
    expect(classes).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
