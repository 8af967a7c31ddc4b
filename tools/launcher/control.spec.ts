import { parseControlCommand } from './control';

describe(parseControlCommand.name, () => {
  it('reads `spawn SERVICE` for every service, whatever the spacing', () => {
    expect(parseControlCommand('spawn gateway')).toEqual({ kind: 'spawn', service: 'gateway' });
    expect(parseControlCommand('  spawn   orders \r')).toEqual({ kind: 'spawn', service: 'orders' });
    expect(parseControlCommand('spawn auth')).toEqual({ kind: 'spawn', service: 'auth' });
    expect(parseControlCommand('spawn catalog')).toEqual({ kind: 'spawn', service: 'catalog' });
  });

  it('ignores blank lines', () => {
    expect(parseControlCommand('')).toBeUndefined();
    expect(parseControlCommand('   ')).toBeUndefined();
  });

  it.each([
    ['restart orders', /Unknown command "restart"/],
    ['spawn', /one of gateway, auth, catalog, orders/],
    ['spawn search', /got "search"/],
    ['spawn orders now', /got "orders now"/],
  ])('refuses %j with a reason', (line, reason) => {
    const sut = parseControlCommand(line);

    expect(sut).toEqual({ error: expect.stringMatching(reason) as string });
  });
});
