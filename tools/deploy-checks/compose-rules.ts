import { APPS, AppName, checkAppEnvironment, checkSharedSettings, SERVICES, unknownVariables } from './app-config';
import { ComposeFile, ComposeService, dependsOn, serviceEnvironment, volumeMounts } from './compose';
import { Dockerfile, finalStage, imageEnv } from './dockerfile';

/**
 * Rules for docker-compose.yml beyond what `docker-compose config` checks: every app gets an
 * environment its own config validation accepts (image ENV included), waits for healthy
 * dependencies, talks to its own database with that database's credentials, and the stack stays
 * within what docker-compose 1.29 (the CI validator) and Compose v2 (what developers run) share.
 */
const V2_ONLY_TOP_LEVEL = ['name', 'include'];
const V2_ONLY_SERVICE_KEYS = ['develop', 'provider', 'models', 'gpus'];
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

export function checkCompose(compose: ComposeFile, dockerfile: Dockerfile): string[] {
  const configs: Partial<Record<AppName, Record<string, unknown>>> = {};
  const problems = [
    ...checkCompatibility(compose),
    ...checkDependencies(compose, dockerfile),
    ...checkImages(compose),
    ...checkVolumes(compose),
  ];
  for (const app of APPS) {
    const service = compose.services[app];
    if (!service) {
      problems.push(`${app}: no service in docker-compose.yml`);
      continue;
    }
    const result = checkApp(app, service, compose, dockerfile);
    problems.push(...result.problems);
    if (result.config) {
      configs[app] = result.config;
    }
  }
  return [...problems, ...checkSharedSettings(configs).map((problem) => `compose: ${problem}`)];
}

function checkCompatibility(compose: ComposeFile): string[] {
  const problems = V2_ONLY_TOP_LEVEL.filter((key) => key in compose).map(
    (key) => `top-level "${key}:" is Compose v2 only (docker-compose 1.29 rejects it)`,
  );
  for (const [name, service] of Object.entries(compose.services)) {
    problems.push(
      ...V2_ONLY_SERVICE_KEYS.filter((key) => key in service).map((key) => `${name}: "${key}:" is Compose v2 only`),
    );
    for (const [target, dependency] of Object.entries(dependsOn(service))) {
      const extra = Object.keys(dependency).filter((key) => key !== 'condition');
      if (extra.length > 0) {
        problems.push(`${name}: depends_on.${target}.${extra.join('/')} is Compose v2 only`);
      }
      if (dependency.condition !== undefined && !CONDITIONS.includes(dependency.condition)) {
        problems.push(`${name}: depends_on.${target} has unknown condition ${dependency.condition}`);
      }
    }
  }
  return problems;
}

/** Built from our Dockerfile, whose runtime stage declares a HEALTHCHECK. */
function hasHealthcheck(service: ComposeService, dockerfile: Dockerfile): boolean {
  if (service.healthcheck?.disable) {
    return false;
  }
  const fromImage =
    service.build !== undefined && finalStage(dockerfile).instructions.some((i) => i.keyword === 'HEALTHCHECK');
  return service.healthcheck?.test !== undefined || fromImage;
}

function checkDependencies(compose: ComposeFile, dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [target, dependency] of Object.entries(dependsOn(service))) {
      const targetService = compose.services[target];
      if (!targetService) {
        problems.push(`${name}: depends on ${target}, which is not a service`);
      } else if (dependency.condition === 'service_healthy' && !hasHealthcheck(targetService, dockerfile)) {
        problems.push(`${name}: waits for ${target} to be healthy, but ${target} has no health check`);
      }
    }
  }
  return problems;
}

function checkImages(compose: ComposeFile): string[] {
  return Object.entries(compose.services)
    .filter(([, service]) => service.build === undefined)
    .filter(([, service]) => {
      const tag = (service.image ?? '').split('/').pop()?.split(':')[1];
      return !(service.image ?? '').includes('@sha256:') && (tag === undefined || tag === 'latest' || !/\d/.test(tag));
    })
    .map(([name, service]) => `${name}: image "${service.image}" must be pinned to a version`);
}

function checkVolumes(compose: ComposeFile): string[] {
  const declared = new Set(Object.keys(compose.volumes ?? {}));
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    for (const mount of volumeMounts(service)) {
      const named = !mount.source.startsWith('.') && !mount.source.startsWith('/');
      if (named && !declared.has(mount.source)) {
        problems.push(`${name}: volume ${mount.source} is not declared under volumes:`);
      }
    }
  }
  const nats = compose.services.nats;
  const natsCommand = [nats?.command ?? []].flat().join(' ');
  if (!nats || !/(--jetstream|-js)\b/.test(natsCommand)) {
    problems.push('nats: must run with JetStream (--jetstream)');
  }
  const storeDir = /(?:--store_dir|-sd)\s+(\S+)/.exec(natsCommand)?.[1];
  if (!nats || !volumeMounts(nats).some((mount) => mount.target === storeDir && declared.has(mount.source))) {
    problems.push('nats: its JetStream store directory must be a named volume');
  }
  const databaseVolumes = SERVICES.map((svc) => {
    const mount = volumeMounts(compose.services[`postgres-${svc}`] ?? {}).find(
      (m) => m.target === '/var/lib/postgresql/data',
    );
    if (!mount || !declared.has(mount.source)) {
      problems.push(`postgres-${svc}: needs a named volume at /var/lib/postgresql/data`);
    }
    return mount?.source;
  });
  if (new Set(databaseVolumes).size !== databaseVolumes.length) {
    problems.push('each Postgres needs its own volume');
  }
  return problems;
}

interface AppResult {
  problems: string[];
  config?: Record<string, unknown>;
}

function checkApp(app: AppName, service: ComposeService, compose: ComposeFile, dockerfile: Dockerfile): AppResult {
  const where = `${app} (compose)`;
  const problems: string[] = [];
  if (service.build?.args?.APP !== app) {
    problems.push(`${where}: must build the Dockerfile with APP=${app}`);
  }
  if (service.container_name !== undefined || (service.ports ?? []).length > 0) {
    problems.push(`${where}: replicas can't share a container_name or published ports`);
  }
  if (!Number.isInteger(Number(service.deploy?.replicas)) || Number(service.deploy?.replicas) < 1) {
    problems.push(`${where}: set deploy.replicas (the replica count per service)`);
  }
  if (dependsOn(service).nats?.condition !== 'service_healthy') {
    problems.push(`${where}: must wait for nats to be healthy`);
  }
  const environment = serviceEnvironment(service);
  const checked = checkAppEnvironment(app, { ...imageEnv(app, dockerfile), ...environment });
  problems.push(...checked.problems.map((problem) => `${where}: the app would refuse to start: ${problem}`));
  problems.push(...unknownVariables(app, environment).map((name) => `${where}: ${name} is not a setting of ${app}`));
  if (checked.config && checked.config.LOG_FORMAT !== 'json') {
    problems.push(`${where}: LOG_FORMAT must be json (the image has no pino-pretty)`);
  }
  problems.push(...checkFiles(where, environment, service));
  if ((SERVICES as readonly string[]).includes(app)) {
    problems.push(...checkDatabase(where, app, environment, service, compose));
    problems.push(...checkMigrations(where, app, service, compose, dockerfile, checked.config));
  }
  return { problems, config: checked.config };
}

/**
 * A service either migrates at start-up (MIGRATIONS_RUN=true) or starts after a one-shot container
 * of its image has run `--migrate-only` successfully; that container runs the same main, so its
 * environment must pass the same validation.
 */
function checkMigrations(
  where: string,
  app: AppName,
  service: ComposeService,
  compose: ComposeFile,
  dockerfile: Dockerfile,
  config: Record<string, unknown> | undefined,
): string[] {
  const migrators = Object.entries(dependsOn(service))
    .filter(([, dependency]) => dependency.condition === 'service_completed_successfully')
    .map(([name]) => [name, compose.services[name]] as const)
    .filter(
      ([, candidate]) =>
        candidate?.build?.args?.APP === app && [candidate.command ?? []].flat().includes('--migrate-only'),
    );
  if (config?.MIGRATIONS_RUN === false && migrators.length === 0) {
    return [`${where}: MIGRATIONS_RUN is false, but no ${app} --migrate-only container completes before it starts`];
  }
  return migrators.flatMap(([name, migrator]) => {
    const environment = serviceEnvironment(migrator);
    const checked = checkAppEnvironment(app, { ...imageEnv(app, dockerfile), ...environment });
    return checked.problems.map((problem) => `${name} (compose): the migration would refuse to start: ${problem}`);
  });
}

/** *_FILE variables must name a file under one of the service's volume mounts. */
function checkFiles(where: string, environment: Record<string, string>, service: ComposeService): string[] {
  return Object.entries(environment)
    .filter(([name, value]) => name.endsWith('_FILE') && value !== '')
    .filter(([, value]) => !volumeMounts(service).some((mount) => value.startsWith(`${mount.target}/`)))
    .map(([name, value]) => `${where}: ${name}=${value} is not inside any mounted volume`);
}

function checkDatabase(
  where: string,
  app: AppName,
  environment: Record<string, string>,
  service: ComposeService,
  compose: ComposeFile,
): string[] {
  const databaseName = `postgres-${app}`;
  const database = compose.services[databaseName];
  if (!database) {
    return [`${where}: no ${databaseName} service (one Postgres per service)`];
  }
  const problems: string[] = [];
  if (dependsOn(service)[databaseName]?.condition !== 'service_healthy') {
    problems.push(`${where}: must wait for ${databaseName} to be healthy`);
  }
  const credentials = serviceEnvironment(database);
  let url: URL | undefined;
  try {
    url = new URL(environment.DATABASE_URL ?? '');
  } catch {
    return [...problems, `${where}: DATABASE_URL is not a URL`];
  }
  const expected = {
    host: databaseName,
    user: credentials.POSTGRES_USER,
    password: credentials.POSTGRES_PASSWORD,
    database: credentials.POSTGRES_DB,
  };
  const actual = {
    host: url.hostname,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, ''),
  };
  for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
    if (expected[key] !== actual[key]) {
      const shown = key === 'password' ? '' : ` ("${actual[key]}" vs "${expected[key]}")`;
      problems.push(`${where}: the ${key} in DATABASE_URL differs from ${databaseName}'s${shown}`);
    }
  }
  return problems;
}
