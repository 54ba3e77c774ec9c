import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogLines, routeConsoleTo } from './log-lines';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { out, lines: () => text.trimEnd().split('\n') };
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe('log lines', () => {
  it('writes one JSON object a line with level, time and msg first', () => {
    const { out, lines } = capture();
    createLogLines('json', out).write('info', 'reference server listening', { url: 'http://127.0.0.1:4010' });
    const [line] = lines();
    expect(Object.keys(JSON.parse(line!))).toEqual(['level', 'time', 'msg', 'url']);
    expect(JSON.parse(line!)).toMatchObject({ level: 'info', msg: 'reference server listening' });
  });

  it("routes the server's console.error reports as JSON lines, without the prefix, with the error's stack", () => {
    const { out, lines } = capture();
    restore = routeConsoleTo(createLogLines('json', out));
    console.error('[livedrop-mock] sweep failed', new Error('storage unreachable'));
    console.error('[livedrop-mock] a scheduled job failed', { kind: 'expire', id: 'res_1' }, new TypeError('boom'));
    const [sweep, job] = lines().map((line) => JSON.parse(line));
    expect(sweep).toMatchObject({
      level: 'error',
      msg: 'sweep failed',
      error: { name: 'Error', message: 'storage unreachable' },
    });
    expect(sweep.error.stack).toContain('storage unreachable');
    expect(job).toMatchObject({
      msg: 'a scheduled job failed',
      detail: { kind: 'expire', id: 'res_1' },
      error: { name: 'TypeError', message: 'boom' },
    });
  });

  it('writes a member JSON cannot hold as node prints it, keeping the line', () => {
    const { out, lines } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    createLogLines('json', out).write('warn', 'odd detail', { detail: cyclic, count: 10n });
    const line = JSON.parse(lines()[0]!);
    expect(line.msg).toBe('odd detail');
    expect(line.detail).toContain('[Circular');
    expect(line.count).toBe('10n');
  });

  it('writes pretty lines for a person', () => {
    const { out, lines } = capture();
    createLogLines('pretty', out).write('info', 'stopped');
    expect(lines()).toEqual(['livedrop-mock: stopped']);
  });
});
