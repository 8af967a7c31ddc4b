/**
 * Architecture rules, checked in CI (`npm run arch`, over apps, libs, tools and test):
 * - libs/contracts is the wire contract: it imports nothing of ours (only its own npm dependencies);
 * - libs/common never imports an app, and holds no TypeORM entity (entities never leave their app);
 * - an app never imports another app (they talk over NATS, through libs/contracts); another app's
 *   tests may use its public entry (`apps/<app>/src/public.ts`) and nothing else of it;
 * - tools may use libs/* and an app's public entry, never an app's internals or test support;
 * - production code never imports tests or tools.
 * - libs/api-client (the generated HTTP client) imports nothing of ours.
 */
const APPS = ['gateway', 'auth', 'catalog', 'orders'];
const PUBLIC_ENTRY = '^apps/[^/]+/src/public\\.ts$';
const SPEC = '\\.(spec|int-spec|e2e-spec)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'contracts-import-nothing-of-ours',
      severity: 'error',
      comment: 'libs/contracts is plain wire data: subjects, DTOs, events, error codes, roles; no plumbing',
      from: { path: '^libs/contracts/' },
      to: { path: '^(apps|tools|test)/|^libs/(?!contracts/)' },
    },
    ...APPS.map((app) => ({
      name: `no-cross-app-import-${app}`,
      severity: 'error',
      comment: `apps/${app}/src may not import another app; share the contract through libs/contracts`,
      from: { path: `^apps/${app}/src/` },
      to: { path: `^apps/(?!${app}/)` },
    })),
    ...APPS.map((app) => ({
      name: `tests-use-only-public-entry-of-other-apps-${app}`,
      severity: 'error',
      comment: `apps/${app}/test may reach another app only through its public entry (apps/<app>/src/public.ts)`,
      from: { path: `^apps/${app}/test/` },
      to: { path: `^apps/(?!${app}/)`, pathNot: PUBLIC_ENTRY },
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
      from: { path: '^(apps|libs)/[^/]+/src/', pathNot: SPEC },
      to: { path: '^(test|tools)/|/test/' },
    },
    {
      name: 'tools-use-only-public-entry-of-apps',
      severity: 'error',
      comment: 'tools may use libs/* and apps/<app>/src/public.ts, never an app internal',
      from: { path: '^tools/' },
      to: { path: '^apps/', pathNot: PUBLIC_ENTRY },
    },
    {
      name: 'tools-never-import-tests',
      severity: 'error',
      comment: 'test support is for tests; what a tool shares with tests lives in tools/shared or libs',
      from: { path: '^tools/' },
      to: { path: '^test/|^(apps|libs)/[^/]+/test/' },
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
