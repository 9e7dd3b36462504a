/**
 * Where the simulator's state survives a restart: an append-only journal of JSON lines, one per change,
 * written synchronously before the change is applied (so before any answer that reveals it), and
 * replayed at start. A process killed right after an answer loses nothing (the write is in the OS
 * already; a power cut may lose the last lines: there is no fsync). Appending costs the same at 100,000
 * entries as at one. Only one simulator may use a journal at a time. It only grows (a reset is one more
 * line); delete the folder to start afresh.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A change the journal records; its owner defines the kinds. */
export interface JournalEvent {
  readonly kind: string;
}

export interface Journal<Event extends JournalEvent> {
  /** Records one change; throws when it cannot be written, before the change is applied. */
  append(event: Event): void;
  close(): void;
}

/** The journal of a simulator kept in memory only: nothing is written. */
export function memoryJournal<Event extends JournalEvent>(): Journal<Event> {
  return { append: () => {}, close: () => {} };
}

const JOURNAL_FILE = 'journal.jsonl';

export class CorruptJournalError extends Error {
  override readonly name = 'CorruptJournalError';
}

/**
 * Opens (creating if needed) the journal under `dataDir` and reads what it holds, oldest first. A last
 * line cut short by a kill mid-write is dropped (that change was never applied nor answered).
 */
export function openFileJournal<Event extends JournalEvent>(
  dataDir: string,
): { journal: Journal<Event>; events: Event[] } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, JOURNAL_FILE);
  const events = existsSync(path) ? readEvents<Event>(path) : [];
  const fd = openSync(path, 'a', 0o600);
  let open = true;
  return {
    events,
    journal: {
      append: (event) => {
        writeSync(fd, `${JSON.stringify(event)}\n`);
      },
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    },
  };
}

function readEvents<Event extends JournalEvent>(path: string): Event[] {
  const text = readFileSync(path, 'utf8');
  const lastNewline = text.lastIndexOf('\n');
  if (lastNewline < text.length - 1) truncateSync(path, Buffer.byteLength(text.slice(0, lastNewline + 1)));
  const lines = text.slice(0, lastNewline + 1).split('\n');
  lines.pop();
  return lines.map((line, index) => {
    try {
      // Written by this simulator only, one JSON event per line.
      return JSON.parse(line) as Event;
    } catch {
      throw new CorruptJournalError(`${path} line ${index + 1} is not a journal entry`);
    }
  });
}
