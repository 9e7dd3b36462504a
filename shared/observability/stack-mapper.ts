/**
 * Maps a Lambda bundle's stack frames to the TypeScript sources, through the bundle's source map: the
 * part of ./stack-map.ts loaded on the first stack that is formatted (a file of its own beside the
 * bundle's `index.js`, `lazyBundles` in infra/bundling.ts), so a cold start neither reads nor compiles it.
 *
 * Names: the bundle is minified without keepNames (infra/bundling.ts), so V8 calls a function or class
 * by its minified identifier (`kc` for `requireEnv`). esbuild's map gives the source's name on each
 * identifier it renamed and no name on the others, so a name is looked up where V8 took it from, as
 * Node's `--enable-source-maps` does (`getOriginalSymbolName`), adapted to esbuild: the map has no name at
 * a function's start (the `function` keyword, a parameter list, a method's key; a lone arrow parameter
 * carries the parameter's name), so the name is read at the identifier that declares the function, next
 * to that start; failing that, Node's fallback, the name the caller called it by (the next frame's call
 * site). A class (`Type.method`, `new Type`) is named by its declarations in the bundle. A name the map
 * cannot vouch for is left out, never printed minified as if it were the source's.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';

/** Formats stacks as V8 does, each frame of `bundleFile` mapped through `mapFile` (read now). */
export function stackFormatter(
  bundleFile: string,
  mapFile: string,
): (error: Error, frames: NodeJS.CallSite[]) => string {
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const bundle = new MappedBundle(readFileSync(bundleFile, 'utf8').split('\n'), map);
  return (error, frames) => {
    const lines = frames.map((frame, index) => {
      const mapped =
        frame.getFileName() === bundleFile ? bundle.frameText(frame, frames[index + 1]) : undefined;
      return `    at ${mapped ?? frame.toString()}`;
    });
    return [headerOf(error), ...lines].join('\n');
  };
}

function headerOf(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}

/** A map entry; Node 20's `findEntry` also gives the entry's `name` when the map has one. */
type Entry = SourceMapping & { name?: string };

const identifierChar = /[\w$]/;

/** The bundle's text and map (positions 0-based, as in the map; V8's are 1-based). */
class MappedBundle {
  private readonly classNames = new Map<string, string | undefined>();

  constructor(
    private readonly lines: string[],
    private readonly map: SourceMap,
  ) {}

  /** `name (source:line:column)`, or undefined when the map does not cover the frame. */
  frameText(frame: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string | undefined {
    const at = this.entry((frame.getLineNumber() ?? 0) - 1, (frame.getColumnNumber() ?? 0) - 1);
    if (!at?.originalSource) return undefined;
    const location = `${at.originalSource}:${at.originalLine + 1}:${at.originalColumn + 1}`;
    const name = this.nameOf(frame, caller);
    return name ? `${name} (${location})` : location;
  }

  private nameOf(frame: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string | undefined {
    const prefix = frame.isAsync() ? 'async ' : '';
    const v8Name = frame.getFunctionName() ?? frame.getMethodName();
    if (frame.isConstructor()) {
      const type = v8Name ? this.className(v8Name) : undefined;
      return type && `new ${type}`;
    }
    const line = (frame.getEnclosingLineNumber() ?? 0) - 1;
    const column = (frame.getEnclosingColumnNumber() ?? 0) - 1;
    const declared = v8Name ? this.declaredName(v8Name, line, column) : undefined;
    if (declared) {
      const v8Type = frame.getTypeName();
      const type = v8Type && v8Type !== 'Object' && v8Type !== 'global' ? this.className(v8Type) : undefined;
      return `${prefix}${type ? `${type}.` : ''}${declared}`;
    }
    const called = caller?.getFileName() === frame.getFileName() ? this.calledName(caller) : undefined;
    return called && `${prefix}${called}`;
  }

  /**
   * The source's name of the function V8 calls `name` and that starts at (line, column): the identifier
   * at its start or after `function` (`function kc(`, `async function kc(`, a method `charge(`), or
   * before it (`kc=(…)=>`, `kc:function(`).
   */
  private declaredName(name: string, line: number, column: number): string | undefined {
    const text = this.lines[line] ?? '';
    const keyword = /^(?:async\s*)?(?:function\s*\*?\s*)?/.exec(text.slice(column))?.[0].length ?? 0;
    const assigned = /([\w$]+)\s*[=:]\s*(?:async\s*)?$/.exec(text.slice(Math.max(0, column - 200), column));
    return (
      this.nameAt(name, line, column + keyword) ??
      (assigned ? this.nameAt(name, line, column - assigned[0].length) : undefined)
    );
  }

  /** The name the map gives the identifier the caller's call site starts with (`kc(…)`). */
  private calledName(caller: NodeJS.CallSite): string | undefined {
    const line = (caller.getLineNumber() ?? 0) - 1;
    const column = (caller.getColumnNumber() ?? 0) - 1;
    const identifier = /^[\w$]+/.exec(this.lines[line]?.slice(column) ?? '')?.[0];
    const name = identifier && this.nameAt(identifier, line, column);
    return name !== identifier ? name : undefined;
  }

  /**
   * The source's name of the class V8 calls `name`: the one name all its declarations in the bundle map
   * to (`class kc`, `kc=class`, `function kc`; for `Ledger=class kc`, esbuild's inner name of a class
   * that refers to itself, the variable's); `name` itself when the bundle declares none (a class of
   * Node's); undefined when they disagree (a minified name reused in several scopes).
   */
  private className(name: string): string | undefined {
    if (!this.classNames.has(name)) {
      const id = name.replaceAll('$', '\\$');
      const declaration = new RegExp(
        `(?<![\\w$.])(?:(?<variable>[\\w$]+)\\s*=\\s*class\\s+${id}|(?:class|function)\\s+(?<declared>${id})|` +
          `(?<assigned>${id})\\s*=\\s*(?:class|function))(?![\\w$])`,
        'dg',
      );
      const originals = new Set<string | undefined>();
      this.lines.forEach((text, line) => {
        for (const { groups = {}, indices } of text.matchAll(declaration)) {
          const [column = -1] = indices?.groups?.variable ?? indices?.groups?.declared ?? indices?.[0] ?? [];
          originals.add(this.nameAt(groups.variable ?? name, line, column));
        }
      });
      const [only] = originals;
      this.classNames.set(name, originals.size === 0 ? name : originals.size === 1 ? only : undefined);
    }
    return this.classNames.get(name);
  }

  /**
   * The source's name of the identifier `name` if the bundle has it at (line, column) and the map maps
   * it there: the map's name when esbuild renamed it, else `name` itself.
   */
  private nameAt(name: string, line: number, column: number): string | undefined {
    const text = this.lines[line] ?? '';
    if (!text.startsWith(name, column) || identifierChar.test(text[column + name.length] ?? '')) return;
    if (column > 0 && identifierChar.test(text[column - 1] ?? '')) return;
    const entry = this.entry(line, column);
    if (entry?.generatedLine !== line || entry.generatedColumn !== column) return;
    return entry.name ?? name;
  }

  private entry(line: number, column: number): Entry | undefined {
    if (line < 0 || column < 0) return undefined;
    const entry = this.map.findEntry(line, column);
    return 'originalSource' in entry ? (entry as Entry) : undefined;
  }
}
