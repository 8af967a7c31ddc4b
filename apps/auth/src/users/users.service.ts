import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  appendToOutbox,
  AUTH_EVENTS,
  DomainError,
  OutboxRelay,
  RegisterRequest,
  UserRegisteredEvent,
  UserResponse,
} from '@app/common';
import { isUniqueViolation } from '../database/sql';
import { PasswordHasher } from '../passwords/password-hasher';
import { UserEntity } from './user.entity';
import { toUserResponse } from './user.mapper';

/** Accounts: registration (always a customer), look-ups, and password upgrades. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly relay: OutboxRelay,
  ) {}

  async register(request: RegisterRequest): Promise<UserResponse> {
    const passwordHash = await this.hasher.hash(request.password);
    const response = await this.dataSource
      .transaction(async (manager) => {
        const now = new Date();
        const user = manager.create(UserEntity, {
          id: randomUUID(),
          email: request.email.toLowerCase(),
          name: request.name ?? null,
          role: 'customer',
          passwordHash,
          createdAt: now,
          updatedAt: now,
        });
        await manager.insert(UserEntity, user);
        const registered = toUserResponse(user);
        await appendToOutbox<UserRegisteredEvent>(manager, AUTH_EVENTS.USER_REGISTERED, registered);
        return registered;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw new DomainError('conflict', 'An account with this email already exists', { cause: error });
        }
        throw error;
      });
    this.relay.nudge();
    return response;
  }

  async get(userId: string): Promise<UserResponse> {
    const user = await this.dataSource.manager.findOneBy(UserEntity, { id: userId });
    if (!user) {
      throw new DomainError('not-found', 'No such user');
    }
    return toUserResponse(user);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOneBy(UserEntity, { email: email.toLowerCase() });
  }

  findById(userId: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOneBy(UserEntity, { id: userId });
  }

  /** Replaces a hash made with weaker settings, unless the password changed in between. */
  async upgradeHash(user: UserEntity, password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    await this.dataSource.query(
      `UPDATE "users" SET "password_hash" = $2, "updated_at" = now() WHERE "id" = $1 AND "password_hash" = $3`,
      [user.id, passwordHash, user.passwordHash],
    );
  }
}
