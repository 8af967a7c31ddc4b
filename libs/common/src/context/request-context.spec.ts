import { currentRequestId, runWithRequestContext, saneRequestId } from './request-context';

describe(saneRequestId.name, () => {
  it.each(['abc', 'A.b_c-9', 'x'.repeat(128)])('keeps a sane id %#', (id) => {
    expect(saneRequestId(id)).toBe(id);
  });

  it.each(['', 'x'.repeat(129), 'has space', 'crlf\r\nset-cookie: a=b', 'ümlaut', undefined, ['a', 'b']])(
    'replaces an insane id with a fresh uuid %#',
    (id) => {
      expect(saneRequestId(id)).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});

describe(runWithRequestContext.name, () => {
  it('makes the id visible across awaits inside the callback only', async () => {
    const seen = await runWithRequestContext({ requestId: 'r-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentRequestId();
    });

    expect(seen).toBe('r-1');
    expect(currentRequestId()).toBeUndefined();
  });
});
