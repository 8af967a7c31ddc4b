import { UserEntity } from './user.entity';
import { toUserResponse } from './user.mapper';

describe(toUserResponse.name, () => {
  it('copies only the public fields: never the password hash', () => {
    const user = Object.assign(new UserEntity(), {
      id: '9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b',
      email: 'ada@example.com',
      name: null,
      role: 'customer',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      createdAt: new Date('2026-11-26T09:30:00Z'),
      updatedAt: new Date('2026-11-26T10:00:00Z'),
    });

    expect(toUserResponse(user)).toEqual({
      id: '9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b',
      email: 'ada@example.com',
      name: null,
      role: 'customer',
      createdAt: '2026-11-26T09:30:00.000Z',
    });
  });
});
