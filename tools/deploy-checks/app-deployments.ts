import { AppName, checkAppEnvironment, checkSharedSettings, isAppName, unknownVariables } from './app-config';
import { examplePodName, fileProblem, resolveContainerEnv } from './container-env';
import { imageEnv } from './dockerfile';
import { Container, describeObject, K8sObject, PodTemplate, podTemplateOf, preStopSeconds } from './k8s-objects';

/**
 * The checks that tie manifests to code: each app's Deployment gives its container an environment
 * the app's own start-up validation accepts (ConfigMaps and generated Secrets as rendered, other
 * Secrets as placeholders of the right shape, the image's ENV underneath), listens where its
 * probes and Service look, and gives SIGTERM enough time for the app's drain.
 */
export interface AppDeploymentReport {
  problems: string[];
  configs: Partial<Record<AppName, Record<string, unknown>>>;
}

/** The app's own force-exit margin after SHUTDOWN_GRACE_MS (libs/common graceful-shutdown.ts). */
const FORCE_EXIT_MARGIN_SECONDS = 5;

export function checkAppDeployments(objects: K8sObject[], namespace?: string): AppDeploymentReport {
  const problems: string[] = [];
  const configs: AppDeploymentReport['configs'] = {};
  const deployments = objects.filter(
    (object) => object.kind === 'Deployment' && isAppName(object.metadata.labels?.app),
  );
  for (const deployment of deployments) {
    const app = deployment.metadata.labels!.app as AppName;
    const template = podTemplateOf(deployment)!;
    const container = template.spec.containers.find((candidate) => candidate.name === app);
    const where = `${describeObject(deployment)} (${app})`;
    if (!container) {
      problems.push(`${describeObject(deployment)}: no container named ${app}`);
      continue;
    }
    const checked = checkContainerEnvironment(where, app, container, deployment, objects, namespace);
    problems.push(...checked.problems);
    if (checked.config) {
      configs[app] = checked.config;
      problems.push(...checkAgainstConfig(where, app, checked.config, container, template));
    }
    // Init containers running the app's image run the same main, so the same validation applies.
    for (const init of (template.spec.initContainers ?? []).filter(
      (candidate) => candidate.image === container.image,
    )) {
      const initWhere = `${describeObject(deployment)} init container ${init.name} (${app})`;
      problems.push(...checkContainerEnvironment(initWhere, app, init, deployment, objects, namespace).problems);
    }
    if (checked.config?.MIGRATIONS_RUN === false && !migratesFirst(template, container)) {
      problems.push(`${where}: MIGRATIONS_RUN is false, but no init container runs ${app} --migrate-only first`);
    }
  }
  return { problems: [...problems, ...checkSharedSettings(configs)], configs };
}

function migratesFirst(template: PodTemplate, container: Container): boolean {
  return (template.spec.initContainers ?? []).some(
    (init) =>
      init.image === container.image && [...(init.command ?? []), ...(init.args ?? [])].includes('--migrate-only'),
  );
}

function checkContainerEnvironment(
  where: string,
  app: AppName,
  container: Container,
  workload: K8sObject,
  objects: K8sObject[],
  namespace: string | undefined,
): { problems: string[]; config?: Record<string, unknown> } {
  const template = podTemplateOf(workload)!;
  const lookup = { objects, namespace, podName: examplePodName(workload) };
  const resolved = resolveContainerEnv(container, lookup, imageEnv(app));
  const problems = resolved.problems.map((problem) => `${where}: ${problem}`);
  const checked = checkAppEnvironment(app, resolved.env);
  problems.push(...checked.problems.map((problem) => `${where}: the app would refuse to start: ${problem}`));
  problems.push(
    ...unknownVariables(app, resolved.fromManifest).map((name) => `${where}: ${name} is not a setting of ${app}`),
  );
  for (const [name, value] of Object.entries(resolved.fromManifest).filter(([key]) => key.endsWith('_FILE'))) {
    const problem = fileProblem(value, container, template.spec, lookup);
    if (problem) {
      problems.push(`${where}: ${name}: ${problem}`);
    }
  }
  return { problems, config: checked.config };
}

function checkAgainstConfig(
  where: string,
  app: AppName,
  config: Record<string, unknown>,
  container: Container,
  template: PodTemplate,
): string[] {
  const problems: string[] = [];
  const [portName, port] = app === 'gateway' ? ['http', config.PORT] : ['ops', config.OPS_PORT];
  const declared = container.ports?.find((candidate) => candidate.name === portName)?.containerPort;
  if (declared !== port) {
    problems.push(
      `${where}: the app listens on ${String(port)}, but container port "${portName}" is ${String(declared)}`,
    );
  }
  for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
    if (probe?.httpGet && probe.httpGet.port !== portName && probe.httpGet.port !== port) {
      problems.push(`${where}: a probe targets port ${probe.httpGet.port}, not the app's ${portName} port`);
    }
  }
  if (container.readinessProbe?.httpGet?.path !== '/health/ready') {
    problems.push(`${where}: readinessProbe must GET /health/ready`);
  }
  if (container.livenessProbe?.httpGet?.path !== '/health/live') {
    problems.push(`${where}: livenessProbe must GET /health/live`);
  }
  if (config.LOG_FORMAT !== 'json') {
    problems.push(`${where}: LOG_FORMAT must be json (the image has no pino-pretty)`);
  }
  const needed = preStopSeconds(container) + Number(config.SHUTDOWN_GRACE_MS) / 1000 + FORCE_EXIT_MARGIN_SECONDS;
  const grace = template.spec.terminationGracePeriodSeconds ?? 30;
  if (grace < needed) {
    problems.push(
      `${where}: terminationGracePeriodSeconds ${grace} < preStop + SHUTDOWN_GRACE_MS + margin (${needed} s)`,
    );
  }
  return problems;
}
