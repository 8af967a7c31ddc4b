/**
 * Architecture rules, checked in CI (`npm run arch`):
 * - an app never imports another app (they talk over NATS through libs/common contracts);
 * - libs/common never imports an app, and holds no TypeORM entity (entities never leave their app);
 * - nothing under apps/ or libs/ imports test support code or tools;
 * - libs/api-client (the generated HTTP client) imports nothing of ours.
 */
const APPS = ['gateway', 'auth', 'catalog', 'orders'];

module.exports = {
  forbidden: [
    ...APPS.map((app) => ({
      name: `no-cross-app-import-${app}`,
      severity: 'error',
      comment: `apps/${app} may not import another app; share code through libs/common`,
      from: { path: `^apps/${app}/` },
      to: { path: `^apps/(?!${app}/)` },
    })),
    {
      name: 'common-never-imports-apps',
      severity: 'error',
      comment: 'libs/common is the shared kernel: it depends on no application',
      from: { path: '^libs/common/' },
      to: { path: '^apps/' },
    },
    {
      name: 'api-client-stands-alone',
      severity: 'error',
      comment: 'libs/api-client is generated from docs/openapi.json for outside callers: it imports nothing of ours',
      from: { path: '^libs/api-client/' },
      to: { path: '^(apps|libs/(?!api-client/)|test|tools)/' },
    },
    {
      name: 'production-code-never-imports-tests-or-tools',
      severity: 'error',
      from: { path: '^(apps|libs)/[^/]+/src/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^(test|tools)/|/test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
