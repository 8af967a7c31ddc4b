import { PersistenceSchema } from '@app/common/database';
import { OUTBOX_ENTITY } from '@app/common/outbox';
import { LoginAttemptEntity } from '../login-limits/login-attempt.entity';
import { RegistrationAttemptEntity } from '../registration-limits/registration-attempt.entity';
import { RefreshTokenFamilyEntity } from '../sessions/refresh-token-family.entity';
import { RefreshTokenEntity } from '../sessions/refresh-token.entity';
import { UserEntity } from '../users/user.entity';
import { CreateAuthTables1764115200000 } from './migrations/1764115200000-create-auth-tables';
import { IndexRefreshFamiliesByAge1796515200000 } from './migrations/1796515200000-index-refresh-families-by-age';
import { CreateRegistrationAttempts1796515200001 } from './migrations/1796515200001-create-registration-attempts';

/** Every entity and migration of the auth database, listed explicitly (no globs). */
export const authSchema: PersistenceSchema = {
  entities: [
    UserEntity,
    RefreshTokenFamilyEntity,
    RefreshTokenEntity,
    LoginAttemptEntity,
    RegistrationAttemptEntity,
    OUTBOX_ENTITY,
  ],
  migrations: [
    CreateAuthTables1764115200000,
    IndexRefreshFamiliesByAge1796515200000,
    CreateRegistrationAttempts1796515200001,
  ],
};
