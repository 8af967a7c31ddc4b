import { Expose } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';
import { LogFormat, LogLevel } from '../logging/create-logger';
import { BUS_PASSWORD_PATTERN, BUS_PASSWORD_RULE } from '../messaging/bus-password';
import { EnvBoolean, EnvInt, EnvNumber } from './env-decorators';

const NATS_URLS = /^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/;

/** Production must authenticate on the bus: a password, in the variable or in a file. */
function needsNatsPassword(env: BaseEnv): boolean {
  return env.NODE_ENV === 'production' && env.NATS_PASSWORD_FILE === undefined;
}

/** Settings every Bazaar process reads. */
export class BaseEnv {
  @Expose() @IsIn(['json', 'pretty']) LOG_FORMAT: LogFormat = 'json';
  @Expose() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace']) LOG_LEVEL: LogLevel = 'info';

  /** One or more comma-separated NATS server URLs. */
  @Expose()
  @Matches(NATS_URLS, { message: 'must be nats://host:port[,nats://host:port...]' })
  NATS_URL = 'nats://127.0.0.1:4222';

  /** Only `production` matters here: it makes the secrets below (and each app's own) mandatory. */
  @Expose() @IsOptional() @IsString() NODE_ENV?: string;

  /**
   * This process's user on the bus. Defaults to its service's identity (`gateway`, `auth`, ...),
   * the names the shipped NATS authorization uses (docs/security.md).
   */
  @Expose() @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,64}$/) NATS_USER?: string;

  /** Password of NATS_USER (or NATS_PASSWORD_FILE); required when NODE_ENV=production. */
  @Expose()
  @ValidateIf((env: BaseEnv) => env.NATS_PASSWORD !== undefined || needsNatsPassword(env))
  @IsString({ message: 'NATS_PASSWORD or NATS_PASSWORD_FILE is required when NODE_ENV=production' })
  @Matches(BUS_PASSWORD_PATTERN, { message: `must be ${BUS_PASSWORD_RULE}` })
  NATS_PASSWORD?: string;

  /** A file holding the password (a mounted Secret); read at start-up. */
  @Expose() @IsOptional() @IsString() @MaxLength(4096) NATS_PASSWORD_FILE?: string;

  /** PEM bundle of the CA that signed the NATS servers' certificates (`tls://` URLs); system CAs when unset. */
  @Expose() @IsOptional() @IsString() @MaxLength(4096) NATS_TLS_CA_FILE?: string;

  /** Client certificate and key (PEM), for servers that verify clients (mutual TLS). Both or neither. */
  @Expose()
  @ValidateIf((env: BaseEnv) => env.NATS_TLS_CERT_FILE !== undefined || env.NATS_TLS_KEY_FILE !== undefined)
  @IsString({ message: 'NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together' })
  @MaxLength(4096)
  NATS_TLS_CERT_FILE?: string;

  @Expose()
  @ValidateIf((env: BaseEnv) => env.NATS_TLS_CERT_FILE !== undefined || env.NATS_TLS_KEY_FILE !== undefined)
  @IsString({ message: 'NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together' })
  @MaxLength(4096)
  NATS_TLS_KEY_FILE?: string;

  /** How long a caller waits for a NATS reply before answering 504. */
  @EnvInt(50, 120_000) RPC_TIMEOUT_MS = 5000;

  /** How long SIGTERM waits for in-flight work before closing anyway. */
  @EnvInt(0, 300_000) SHUTDOWN_GRACE_MS = 10_000;

  /** Names this process in logs and metrics; host-pid when unset. */
  @Expose() @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]{1,64}$/) REPLICA_ID?: string;

  /** OTLP/HTTP collector base URL; tracing is off when unset. */
  @Expose()
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  @MaxLength(2048)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

/** Settings of the NATS-only services (auth, catalog, orders). */
export class ServiceEnv extends BaseEnv {
  /** postgres://user:pass@host:port/db of this service's own database. */
  @Expose()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string;

  @EnvInt(1, 200) DB_POOL_SIZE = 10;

  /** Port of the small HTTP server for /health and /metrics. */
  @EnvInt(0, 65535) OPS_PORT = 0;

  /** Run pending migrations at start-up, under an advisory lock (safe with many replicas). */
  @EnvBoolean() MIGRATIONS_RUN = true;

  /**
   * Published outbox rows are deleted this long after publication; the stream keeps the events.
   * Decimals allowed (0.05 = 3 minutes): the soak shortens it to show the table levelling off.
   */
  @EnvNumber(0.01, 8760) OUTBOX_RETENTION_HOURS = 24;

  /** Replicas of the service's event stream: 3 on a NATS cluster (survives a node), 1 on a single server. */
  @EnvInt(1, 5) EVENT_STREAM_REPLICAS = 1;

  /** Events older than this leave the stream. */
  @EnvInt(1, 3650) EVENT_STREAM_MAX_AGE_DAYS = 30;

  /** The stream's size limit; at it, the oldest events go first (it never refuses new ones). */
  @EnvInt(1024 * 1024, 1024 ** 4) EVENT_STREAM_MAX_BYTES = 1024 ** 3;
}
