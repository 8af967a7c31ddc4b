import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { rowsOf } from '@app/common/database';
import { appendToOutbox, OutboxRelay } from '@app/common/outbox';
import { AUTH_EVENTS, UserRegisteredEvent } from '@app/contracts';
import { PasswordHasher } from '../passwords/password-hasher';
import { RefreshTokenStore } from '../sessions/refresh-token.store';
import { UserEntity } from '../users/user.entity';
import { toUserResponse } from '../users/user.mapper';

export const ADMIN_ACCOUNT = Symbol('ADMIN_ACCOUNT');

export interface AdminAccount {
  email: string;
  password: string;
}

interface UpsertedRow {
  id: string;
  email: string;
  name: string | null;
  role: 'admin';
  created_at: Date;
  inserted: boolean;
}

/**
 * Makes sure the bootstrap admin (ADMIN_EMAIL / ADMIN_PASSWORD) exists with that password and the
 * admin role, at every start. Idempotent: nothing is written when it already holds. Replicas
 * starting together race only on one `INSERT ... ON CONFLICT DO UPDATE`, which Postgres makes
 * atomic: whichever wins, the account ends up as configured.
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly log = new Logger(AdminBootstrapService.name);
  private ensured?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly relay: OutboxRelay,
    @Inject(ADMIN_ACCOUNT) private readonly admin: AdminAccount | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Once per process, even if the bootstrap hooks run again (as they once did for the hybrid app).
    if (this.admin) {
      this.ensured ??= this.ensureAdmin(this.admin);
      await this.ensured;
    }
  }

  async ensureAdmin(admin: AdminAccount): Promise<'created' | 'updated' | 'unchanged'> {
    const email = admin.email.toLowerCase();
    const existing = await this.dataSource.manager.findOneBy(UserEntity, { email });
    if (existing?.role === 'admin' && (await this.hasher.verify(existing.passwordHash, admin.password))) {
      this.log.log({ userId: existing.id }, 'Bootstrap admin is in place');
      return 'unchanged';
    }
    const row = await this.upsert(email, await this.hasher.hash(admin.password));
    if (row.inserted) {
      this.relay.nudge();
      this.log.log({ userId: row.id }, 'Bootstrap admin created');
      return 'created';
    }
    // A changed password (or a promotion) ends the sessions opened under the old one.
    await this.refreshTokens.revokeAllOf(row.id, 'password-changed');
    this.log.log({ userId: row.id }, 'Bootstrap admin updated to the configured password and role');
    return 'updated';
  }

  /** Creates the admin or resets its password and role, announcing a creation through the outbox. */
  private upsert(email: string, passwordHash: string): Promise<UpsertedRow> {
    return this.dataSource.transaction(async (manager) => {
      // xmax = 0 only for a row this statement inserted (not one it updated).
      const [upserted] = await rowsOf<UpsertedRow>(
        manager,
        `INSERT INTO "users" ("id", "email", "name", "role", "password_hash")
         VALUES ($1, $2, NULL, 'admin', $3)
         ON CONFLICT ("email") DO UPDATE
           SET "role" = 'admin', "password_hash" = EXCLUDED."password_hash", "updated_at" = now()
         RETURNING "id", "email", "name", "role", "created_at", (xmax = 0) AS "inserted"`,
        [randomUUID(), email, passwordHash],
      );
      if (upserted.inserted) {
        const user = Object.assign(new UserEntity(), {
          id: upserted.id,
          email: upserted.email,
          name: upserted.name,
          role: upserted.role,
          createdAt: upserted.created_at,
        });
        await appendToOutbox<UserRegisteredEvent>(manager, AUTH_EVENTS.USER_REGISTERED, toUserResponse(user));
      }
      return upserted;
    });
  }
}
