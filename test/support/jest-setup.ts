import 'reflect-metadata';

// Integration and e2e tests start real servers; unit specs finish far below this anyway.
jest.setTimeout(Number(process.env.TEST_TIMEOUT_MS ?? 60_000));
