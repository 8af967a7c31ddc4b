import { CallerCheck } from './caller-check';

describe(CallerCheck.name, () => {
  describe('for a service of the bus policy', () => {
    const sut = CallerCheck.forService('catalog');

    it('lets the gateway call a public subject through its private inbox', () => {
      expect(sut.allows('catalog.product.get', '_INBOX_gateway.abc.1')).toBe(true);
    });

    it('lets only orders call the stock subjects', () => {
      expect(sut.allows('catalog.stock.reserve', '_INBOX_orders.abc.1')).toBe(true);
      expect(sut.allows('catalog.stock.reserve', '_INBOX_gateway.abc.1')).toBe(false);
    });

    it('refuses the default inbox, a JetStream acknowledgement subject and look-alike prefixes', () => {
      expect(sut.allows('catalog.product.get', '_INBOX.abc.1')).toBe(false);
      expect(sut.allows('catalog.product.get', '$JS.ACK.CATALOG.x.1.1.1.1.0')).toBe(false);
      expect(sut.allows('catalog.product.get', '_INBOX_gatewayx.abc.1')).toBe(false);
      expect(sut.allows('catalog.product.get', '_INBOX_gateway')).toBe(false);
    });

    it('refuses every caller of a subject the policy does not list for it', () => {
      expect(sut.allows('catalog.product.delete', '_INBOX_gateway.abc.1')).toBe(false);
      expect(sut.allows('orders.order.place', '_INBOX_gateway.abc.1')).toBe(false);
    });
  });

  it('checks nothing for a process that is not a bus identity (a test probe)', () => {
    expect(CallerCheck.forService('probe').allows('probe.system.whoami', '_INBOX.abc')).toBe(true);
  });
});
