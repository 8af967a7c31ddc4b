import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GroupCommit, isUniqueViolation, MemberResult, PreparedQuery } from '@app/common/database';
import { DomainError } from '@app/common/errors';
import { appendToOutbox, OutboxRelay } from '@app/common/outbox';
import { AUTH_EVENTS, RegisterCommand, UserRegisteredEvent, UserResponse } from '@app/contracts';
import { AuthEnv } from '../config/auth.env';
import { PasswordHasher } from '../passwords/password-hasher';
import { RegistrationLimiter } from '../registration-limits/registration-limiter';
import { UserEntity } from './user.entity';
import { PublicUserFields, toUserResponse } from './user.mapper';

const USER_COLUMNS = `"id", "email", "name", "role", "password_hash" AS "passwordHash", "created_at" AS "createdAt",
  "updated_at" AS "updatedAt"`;

/** Rows shaped like the entity (aliased columns), so the whitelisting mapper applies unchanged. */
export const USER_BY_ID = new PreparedQuery<UserEntity>(
  'auth-user-by-id',
  `SELECT ${USER_COLUMNS} FROM "users" WHERE "id" = $1`,
);
/** What `me` answers: the public columns only (the hash never leaves the database on this path). */
export const PUBLIC_USER_BY_ID = new PreparedQuery<PublicUserFields>(
  'auth-public-user-by-id',
  `SELECT "id", "email", "name", "role", "created_at" AS "createdAt" FROM "users" WHERE "id" = $1`,
);
/**
 * The same for every `me` of one event-loop turn: one statement, one round trip, for all of them.
 * A primary-key probe per id (the LIMIT keeps the subquery from being flattened into a join):
 * after five executions Postgres may keep the statement's generic plan for the connection's life,
 * and for `"id" = ANY($1)` that plan, made while the table is small, is a sequential scan of every
 * user (generic-plans.int-spec.ts).
 */
export const PUBLIC_USERS_BY_IDS = new PreparedQuery<PublicUserFields>(
  'auth-public-users-by-ids',
  `SELECT "user"."id", "user"."email", "user"."name", "user"."role", "user"."created_at" AS "createdAt"
   FROM unnest($1::uuid[]) AS "wanted"("id")
   CROSS JOIN LATERAL (SELECT * FROM "users" WHERE "users"."id" = "wanted"."id" LIMIT 1) AS "user"`,
);
export const USER_BY_EMAIL = new PreparedQuery<UserEntity>(
  'auth-user-by-email',
  `SELECT ${USER_COLUMNS} FROM "users" WHERE "email" = $1`,
);
export const EMAIL_TAKEN = new PreparedQuery<{ taken: boolean }>(
  'auth-email-taken',
  `SELECT EXISTS (SELECT 1 FROM "users" WHERE "email" = $1) AS "taken"`,
);

const EMAIL_IN_USE = 'An account with this email already exists';
const NO_SUCH_USER = 'No such user';

/** Accounts: registration (always a customer), look-ups, and password upgrades. */
@Injectable()
export class UsersService {
  private readonly log = new Logger(UsersService.name);
  private readonly lookups: GroupCommit<string, PublicUserFields>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly relay: OutboxRelay,
    private readonly limiter: RegistrationLimiter,
    // Without it (tests that build the service by hand) every look-up is a statement of its own.
    @Optional() config?: AuthEnv,
  ) {
    this.lookups = new GroupCommit({
      maxBatch: config?.USER_LOOKUP_MAX_BATCH ?? 1,
      maxInFlight: config?.USER_LOOKUP_MAX_IN_FLIGHT,
      writeBatch: (userIds) => this.publicUsers(userIds),
      writeOne: (userId) => this.publicUser(userId),
    });
  }

  /**
   * Cheapest refusal first: the per-address limit, then the duplicate check, and only then argon2
   * (the expensive part), so neither a flood from one address nor a taken email costs a hash. The
   * insert still catches a duplicate that won a race with this registration.
   */
  async register(command: RegisterCommand): Promise<UserResponse> {
    await this.limiter.admit(command.clientAddress);
    const email = command.email.toLowerCase();
    const [{ taken }] = await EMAIL_TAKEN.rows(this.dataSource, [email]);
    if (taken) {
      throw new DomainError('conflict', EMAIL_IN_USE);
    }
    const passwordHash = await this.hasher.hash(command.password);
    const response = await this.create(email, command.name ?? null, passwordHash);
    this.relay.nudge();
    return response;
  }

  /**
   * `GET /v1/auth/me`: a primary-key look-up (no ORM on this path). The look-ups that arrive in the
   * same event-loop turn, or while a batch is being read, are read together in one statement
   * (GroupCommit, as orders and catalog batch their writes): one round trip and one wake-up of
   * Postgres for all of them, where each had cost a statement and a socket write of its own. Each
   * still sees every change committed before its request arrived, since the statement's snapshot is
   * taken after that: a deleted or demoted user shows on the next `me`, on any replica.
   */
  async get(userId: string): Promise<UserResponse> {
    return toUserResponse(await this.lookups.submit(userId));
  }

  private async publicUser(userId: string): Promise<PublicUserFields> {
    const [user] = await PUBLIC_USER_BY_ID.rows(this.dataSource, [userId]);
    if (!user) {
      throw new DomainError('not-found', NO_SUCH_USER);
    }
    return user;
  }

  /**
   * One answer per id, in their order: the user, or not-found for an id no user has. A failed read
   * fails every member with its error: unlike a batch of writes, no one member can sink it (the ids
   * are uuids before they get here), so the failure is the database's, and reading the members one
   * by one (GroupCommit's fallback) would only send it a batch's worth of statements at once.
   */
  private async publicUsers(userIds: string[]): Promise<Array<MemberResult<PublicUserFields>>> {
    let rows: PublicUserFields[];
    try {
      rows = await PUBLIC_USERS_BY_IDS.rows(this.dataSource, [userIds]);
    } catch (error) {
      this.log.warn({ err: error, size: userIds.length }, 'A batch of user look-ups failed');
      return userIds.map(() => ({ error }));
    }
    // Postgres answers uuids in lower case; a request may spell one in upper case.
    const byId = new Map(rows.map((user) => [user.id, user]));
    return userIds.map((userId) => {
      const user = byId.get(userId.toLowerCase());
      return user ? { value: user } : { error: new DomainError('not-found', NO_SUCH_USER) };
    });
  }

  async findByEmail(email: string): Promise<UserEntity | null> {
    const [user] = await USER_BY_EMAIL.rows(this.dataSource, [email.toLowerCase()]);
    return user ?? null;
  }

  async findById(userId: string): Promise<UserEntity | null> {
    const [user] = await USER_BY_ID.rows(this.dataSource, [userId]);
    return user ?? null;
  }

  /** Inserts a customer and its `user-registered` event in one transaction. */
  private create(email: string, name: string | null, passwordHash: string): Promise<UserResponse> {
    return this.dataSource
      .transaction(async (manager) => {
        const now = new Date();
        const user = manager.create(UserEntity, {
          id: randomUUID(),
          email,
          name,
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
          throw new DomainError('conflict', EMAIL_IN_USE, { cause: error });
        }
        throw error;
      });
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
