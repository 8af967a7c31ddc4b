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
import { isUniqueViolation, PreparedQuery } from '../database/sql';
import { PasswordHasher } from '../passwords/password-hasher';
import { UserEntity } from './user.entity';
import { PublicUserFields, toUserResponse } from './user.mapper';

const USER_COLUMNS = `"id", "email", "name", "role", "password_hash" AS "passwordHash", "created_at" AS "createdAt",
  "updated_at" AS "updatedAt"`;

/** Rows shaped like the entity (aliased columns), so the whitelisting mapper applies unchanged. */
const USER_BY_ID = new PreparedQuery<UserEntity>(
  'auth-user-by-id',
  `SELECT ${USER_COLUMNS} FROM "users" WHERE "id" = $1`,
);
/** What `me` answers: the public columns only (the hash never leaves the database on this path). */
const PUBLIC_USER_BY_ID = new PreparedQuery<PublicUserFields>(
  'auth-public-user-by-id',
  `SELECT "id", "email", "name", "role", "created_at" AS "createdAt" FROM "users" WHERE "id" = $1`,
);
const USER_BY_EMAIL = new PreparedQuery<UserEntity>(
  'auth-user-by-email',
  `SELECT ${USER_COLUMNS} FROM "users" WHERE "email" = $1`,
);

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

  /** `GET /v1/auth/me`: one primary-key look-up, the cheapest answer there is (no ORM on this path). */
  async get(userId: string): Promise<UserResponse> {
    const [user] = await PUBLIC_USER_BY_ID.rows(this.dataSource, [userId]);
    if (!user) {
      throw new DomainError('not-found', 'No such user');
    }
    return toUserResponse(user);
  }

  async findByEmail(email: string): Promise<UserEntity | null> {
    const [user] = await USER_BY_EMAIL.rows(this.dataSource, [email.toLowerCase()]);
    return user ?? null;
  }

  async findById(userId: string): Promise<UserEntity | null> {
    const [user] = await USER_BY_ID.rows(this.dataSource, [userId]);
    return user ?? null;
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
