import { isBounded, limitBreach, OrderLimits, unitsOf } from './order-limits';

const LIMITS: OrderLimits = { maxUnitsPerOrder: 6, maxUnitsPerCustomer: 10, windowMinutes: 60 };

describe(limitBreach.name, () => {
  it('lets an order through up to both bounds', () => {
    expect(limitBreach(6, 10, LIMITS)).toBeUndefined();
  });

  it('refuses an order of more units than one order may reserve, whatever the budget', () => {
    const sut = limitBreach(7, 7, LIMITS);

    expect(sut).toMatchObject({ code: 'order-too-large', status: 422, details: { maxUnitsPerOrder: 6, units: 7 } });
  });

  it('refuses an order that would take the customer past the budget, saying what is held already', () => {
    const sut = limitBreach(3, 11, LIMITS);

    expect(sut).toMatchObject({
      code: 'unit-quota-exceeded',
      status: 409,
      details: { maxUnitsPerCustomer: 10, windowMinutes: 60, heldUnits: 8, units: 3 },
    });
    expect(sut?.message).toMatch(/already hold 8 units.*exceed the 10 allowed/);
  });
});

describe(unitsOf.name, () => {
  it('sums the quantities of the lines', () => {
    expect(
      unitsOf([
        { productId: 'a', quantity: 2 },
        { productId: 'b', quantity: 5 },
      ]),
    ).toBe(7);
  });
});

describe(isBounded.name, () => {
  it('bounds customers and exempts admins', () => {
    expect(isBounded({ userId: 'u', role: 'customer' })).toBe(true);
    expect(isBounded({ userId: 'u', role: 'admin' })).toBe(false);
  });
});
