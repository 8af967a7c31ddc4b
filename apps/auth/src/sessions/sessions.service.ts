import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@app/common/errors';
import { LoginCommand, RefreshTokenRequest, Role, TokensResponse } from '@app/contracts';
import { AccessTokenSigner } from '../keys/access-token.signer';
import { LoginLimiter } from '../login-limits/login-limiter';
import { PasswordHasher } from '../passwords/password-hasher';
import { UsersService } from '../users/users.service';
import { INVALID_REFRESH_TOKEN, RefreshTokenStore } from './refresh-token.store';

const BAD_CREDENTIALS = 'Invalid email or password';

/** Login, refresh and logout: the token pair's life cycle. */
@Injectable()
export class SessionsService {
  private readonly log = new Logger(SessionsService.name);

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginLimiter,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly accessTokens: AccessTokenSigner,
  ) {}

  /**
   * Unknown email and wrong password fail alike: same error, and the same argon2 work (a dummy
   * hash is verified when there is no user), so neither the answer nor its timing tells them apart.
   */
  async login(command: LoginCommand): Promise<TokensResponse> {
    const email = command.email.toLowerCase();
    // The look-up doesn't depend on the attempt being allowed: both round trips overlap.
    const [attemptId, user] = await Promise.all([
      this.limiter.begin(email, command.clientAddress),
      this.users.findByEmail(email),
    ]);
    const valid = user
      ? await this.hasher.verify(user.passwordHash, command.password)
      : await this.hasher.verifyNobody(command.password);
    if (!user || !valid) {
      this.log.log({ clientAddress: command.clientAddress }, 'Login failed');
      throw new DomainError('unauthorized', BAD_CREDENTIALS);
    }
    const [, refreshToken] = await Promise.all([
      this.limiter.succeeded(attemptId, email),
      this.refreshTokens.startFamily(user.id),
    ]);
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.upgradeHash(user, command.password);
    }
    this.log.log({ userId: user.id }, 'Login succeeded');
    return this.tokens(user.id, user.role, refreshToken);
  }

  async refresh(request: RefreshTokenRequest): Promise<TokensResponse> {
    const { userId, refreshToken } = await this.refreshTokens.rotate(request.refreshToken);
    const user = await this.users.findById(userId);
    if (!user) {
      throw new DomainError('unauthorized', INVALID_REFRESH_TOKEN);
    }
    return this.tokens(user.id, user.role, refreshToken);
  }

  async logout(request: RefreshTokenRequest): Promise<void> {
    await this.refreshTokens.revokeFamilyOf(request.refreshToken);
  }

  private tokens(userId: string, role: Role, refreshToken: string): TokensResponse {
    const access = this.accessTokens.sign({ userId, role });
    return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
  }
}
