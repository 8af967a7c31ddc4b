import { announcesShutdown, formatLogLine } from './log-format';

describe(formatLogLine.name, () => {
  it('shows level, context, message and request id, dropping what the prefix already says', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-01-01T00:00:00.000Z',
      service: 'catalog',
      replica: 'catalog-1',
      context: 'Database',
      msg: 'Applied migrations: Init1',
      requestId: 'r-42',
    });

    expect(formatLogLine(line, false)).toEqual(['INFO  Database: Applied migrations: Init1 (requestId=r-42)']);
  });

  it('keeps extra fields and indents the stack under the message', () => {
    const line = JSON.stringify({
      level: 'fatal',
      msg: 'Refusing to start',
      problems: ['PORT: bad'],
      stack: 'Error: x\n    at y',
    });

    expect(formatLogLine(line, false)).toEqual([
      'FATAL Refusing to start {"problems":["PORT: bad"]}',
      '    Error: x',
      '        at y',
    ]);
  });

  it('passes through lines that are not JSON log records', () => {
    expect(formatLogLine('Segmentation fault', false)).toEqual(['Segmentation fault']);
    expect(formatLogLine('[1,2]', false)).toEqual(['[1,2]']);
  });
});

describe(announcesShutdown.name, () => {
  it('recognises the apps’ shutdown lines only', () => {
    expect(announcesShutdown('{"level":"info","context":"Shutdown","msg":"SIGINT received"}')).toBe(true);
    expect(announcesShutdown('{"level":"info","context":"Orders","msg":"Shutdown"}')).toBe(false);
  });
});
