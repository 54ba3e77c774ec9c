import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser, type SseMessage } from './sse-parser';

interface Parsed {
  messages: SseMessage[];
  retries: number[];
  comments: string[];
  parser: SseParser;
}

/** Parses `chunks` in order, as they would arrive from the network. */
function parse(...chunks: string[]): Parsed {
  const out: Parsed = { messages: [], retries: [], comments: [], parser: undefined as unknown as SseParser };
  out.parser = new SseParser({
    onMessage: (m) => out.messages.push(m),
    onRetry: (ms) => out.retries.push(ms),
    onComment: (text) => out.comments.push(text),
  });
  for (const chunk of chunks) out.parser.feed(chunk);
  return out;
}

const msg = (data: string, event = 'message', lastEventId = ''): SseMessage => ({ event, data, lastEventId });

describe('SseParser: fields', () => {
  it('dispatches a message on a blank line, with event, data and id', () => {
    expect(parse('id: 7\nevent: offer.published\ndata: {"seq":7}\n\n').messages).toEqual([
      msg('{"seq":7}', 'offer.published', '7'),
    ]);
  });

  it('names a message without an event field "message"', () => {
    expect(parse('data: hi\n\n').messages).toEqual([msg('hi')]);
  });

  it('joins several data lines with LF and keeps their inner spaces', () => {
    expect(parse('data: one\ndata:  two\ndata:three\n\n').messages).toEqual([msg('one\n two\nthree')]);
  });

  it('strips exactly one space after the colon', () => {
    expect(parse('data:  two spaces\n\n').messages[0]?.data).toBe(' two spaces');
    expect(parse('data:\ttab\n\n').messages[0]?.data).toBe('\ttab');
    expect(parse('event:  x\ndata\n\n').messages[0]?.event).toBe(' x');
  });

  it('keeps colons in the value (only the first one splits)', () => {
    expect(parse('data: {"a":"b:c"}\n\n').messages[0]?.data).toBe('{"a":"b:c"}');
  });

  it('reads a line without a colon as the field with an empty value', () => {
    // `data` alone appends an empty line: two of them give "\n".
    expect(parse('data\n\n').messages).toEqual([msg('')]);
    expect(parse('data\ndata\n\n').messages).toEqual([msg('\n')]);
    expect(parse('data: x\nevent\n\n').messages).toEqual([msg('x')]);
  });

  it('dispatches "data:" with an empty value (the data buffer holds a line), but not a message with no data field', () => {
    expect(parse('data:\n\n').messages).toEqual([msg('')]);
    expect(parse('event: stock\n\n').messages).toEqual([]);
    expect(parse('id: 3\n\n').messages).toEqual([]);
    expect(parse('\n\n\n').messages).toEqual([]);
  });

  it('resets the event name after every blank line, even one that dispatches nothing', () => {
    expect(parse('event: ignored\n\ndata: x\n\n').messages).toEqual([msg('x')]);
    expect(parse('event: a\ndata: 1\n\ndata: 2\n\n').messages).toEqual([msg('1', 'a'), msg('2')]);
  });

  it('ignores unknown fields and is case-sensitive about names', () => {
    expect(parse('foo: bar\nDATA: no\nEvent: no\ndata: yes\n\n').messages).toEqual([msg('yes')]);
  });

  it('takes the last event field of a message', () => {
    expect(parse('event: a\nevent: b\ndata: x\n\n').messages[0]?.event).toBe('b');
  });
});

describe('SseParser: id', () => {
  it('persists the id across messages that do not set one', () => {
    expect(parse('id: 5\ndata: a\n\ndata: b\n\n').messages).toEqual([
      msg('a', 'message', '5'),
      msg('b', 'message', '5'),
    ]);
  });

  it('sets the last event id from a message with no data (it is not dispatched)', () => {
    const { messages, parser } = parse('id: 9\n\ndata: x\n\n');
    expect(messages).toEqual([msg('x', 'message', '9')]);
    expect(parser.lastEventId).toBe('9');
  });

  it('clears the id with an empty id field', () => {
    expect(parse('id: 5\ndata: a\n\nid\ndata: b\n\n').messages.map((m) => m.lastEventId)).toEqual(['5', '']);
    expect(parse('id: 5\ndata: a\n\nid:\ndata: b\n\n').messages.map((m) => m.lastEventId)).toEqual(['5', '']);
  });

  it('ignores an id that contains NUL', () => {
    expect(parse('id: 5\ndata: a\n\nid: 6\0x\ndata: b\n\n').messages.map((m) => m.lastEventId)).toEqual(['5', '5']);
  });

  it('only commits the id when the message ends', () => {
    const { parser } = parse('id: 5\ndata: a\n\nid: 6\ndata: b\n');
    expect(parser.lastEventId).toBe('5');
    parser.feed('\n');
    expect(parser.lastEventId).toBe('6');
  });

  it('keeps the id verbatim (it is a string, not a number)', () => {
    expect(parse('id:  007 \ndata: a\n\n').messages[0]?.lastEventId).toBe(' 007 ');
  });
});

describe('SseParser: retry and comments', () => {
  it('reports a retry made of ASCII digits only', () => {
    expect(parse('retry: 1500\n\n').retries).toEqual([1500]);
    expect(parse('retry:0\n').retries).toEqual([0]);
  });

  it('ignores a retry with anything but digits', () => {
    expect(parse('retry: 1.5\nretry: -1\nretry: 10ms\nretry:\nretry:  20\nretry: ١٢\nretry\n\n').retries).toEqual([]);
  });

  it('does not dispatch a retry-only block', () => {
    expect(parse('retry: 10\n\n').messages).toEqual([]);
  });

  it('reports comments (heartbeats) and never dispatches them', () => {
    const { messages, comments } = parse(': hb\n\n:\ndata: x\n: inside\n\n');
    expect(comments).toEqual([' hb', '', ' inside']);
    expect(messages).toEqual([msg('x')]);
  });
});

describe('SseParser: line endings and chunking', () => {
  it('accepts LF, CRLF and CR line endings, also mixed', () => {
    const expected = [msg('a', 'e', '1'), msg('b', 'e', '2')];
    expect(parse('id: 1\nevent: e\ndata: a\n\nid: 2\nevent: e\ndata: b\n\n').messages).toEqual(expected);
    expect(parse('id: 1\r\nevent: e\r\ndata: a\r\n\r\nid: 2\r\nevent: e\r\ndata: b\r\n\r\n').messages).toEqual(
      expected,
    );
    expect(parse('id: 1\revent: e\rdata: a\r\rid: 2\revent: e\rdata: b\r\r').messages).toEqual(expected);
    expect(parse('id: 1\r\nevent: e\rdata: a\n\r\nid: 2\nevent: e\r\ndata: b\r\r').messages).toEqual(expected);
  });

  it('counts a CRLF split across two chunks as one line ending', () => {
    expect(parse('data: a\r', '\n\r', '\n').messages).toEqual([msg('a')]);
    expect(parse('data: a\r', '\ndata: b\r\n\r\n').messages).toEqual([msg('a\nb')]);
  });

  it('takes a CR at the end of a chunk as a line ending at once', () => {
    const { parser, messages } = parse('data: a\r\r');
    expect(messages).toEqual([msg('a')]);
    parser.feed('data: b\r\r');
    expect(messages).toEqual([msg('a'), msg('b')]);
  });

  it('joins a line split anywhere across chunks', () => {
    expect(parse('da', 'ta: he', 'llo\n', '\n').messages).toEqual([msg('hello')]);
    expect(parse('id', ': 1', '2\nda', 'ta', ':', ' x', '\n', '', '\n').messages).toEqual([msg('x', 'message', '12')]);
  });

  it('gives the same messages however the text is split (property)', () => {
    const text =
      '\ufeffretry: 100\n: hb\r\nid: 1\nevent: offer.published\ndata: {"seq":1}\r\n\r\ndata: two\rdata: lines\r\r: c\nid: 2\nevent: stock\ndata\n\nid: 3\ndata: x\r\n\n';
    const whole = parse(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 20 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), text.length];
        const chunks = points.slice(1).map((end, i) => text.slice(points[i], end));
        const split = parse(...chunks);
        expect(split.messages).toEqual(whole.messages);
        expect(split.retries).toEqual(whole.retries);
        expect(split.comments).toEqual(whole.comments);
      }),
    );
    expect(whole.messages).toEqual([
      msg('{"seq":1}', 'offer.published', '1'),
      msg('two\nlines', 'message', '1'),
      msg('', 'stock', '2'),
      msg('x', 'message', '3'),
    ]);
  });

  it('does not dispatch an incomplete message (no blank line yet)', () => {
    const { parser, messages } = parse('data: a\n');
    expect(messages).toEqual([]);
    parser.feed('data: b');
    expect(messages).toEqual([]);
    parser.feed('\n\n');
    expect(messages).toEqual([msg('a\nb')]);
  });
});

describe('SseParser: BOM and reset', () => {
  it('skips one BOM at the start of the stream', () => {
    expect(parse('\ufeffdata: x\n\n').messages).toEqual([msg('x')]);
    // Split: the BOM alone in the first chunk.
    expect(parse('\ufeff', 'data: x\n\n').messages).toEqual([msg('x')]);
  });

  it('keeps a second BOM, and a BOM that is not at the start', () => {
    // "\ufeffdata" after the first BOM is a field named "\ufeffdata", which is unknown.
    expect(parse('\ufeff\ufeffdata: x\n\ndata: y\n\n').messages).toEqual([msg('y')]);
    expect(parse('data: a\n\n\ufeffdata: b\n\n').messages).toEqual([msg('a')]);
    expect(parse('data: \ufeffa\n\n').messages).toEqual([msg('\ufeffa')]);
  });

  it('ignores an empty first chunk when looking for the BOM', () => {
    expect(parse('', '\ufeffdata: x\n\n').messages).toEqual([msg('x')]);
  });

  it('reset() drops the partial message but keeps the last event id (a reconnection resumes from it)', () => {
    const { parser, messages } = parse('id: 4\ndata: a\n\nevent: e\ndata: partial');
    parser.reset();
    parser.feed('\ufeffdata: b\n\n');
    expect(messages).toEqual([msg('a', 'message', '4'), msg('b', 'message', '4')]);
    expect(parser.lastEventId).toBe('4');
  });
});
