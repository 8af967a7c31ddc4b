import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoadSettings } from '../load-settings';
import { LoadFigures, runLoad } from '../run-load';
import { login } from './login';
import { productGet } from './product-get';
import { CustomMeasurement, Scenario, ScenarioContext } from './scenario';

/**
 * Reads at a fixed, modest rate: the line asks whether logins slow *other* requests down (argon2
 * on the event loop would stall every request behind each hash), not how reads share a saturated
 * CPU. At 50 unthrottled connections, reads beside argon2's four threads get a fraction of two
 * cores whatever the hashing does, so their p99 would measure the CPU split, not the event loop.
 */
const READ_CONNECTIONS = 10;
const READS_PER_SECOND = 200;
/** Logins get this long to fill auth's thread pool before the reads' warm-up begins. */
const LOGIN_RAMP_S = 2;

function reads(context: ScenarioContext, load: LoadSettings, measureCpu: boolean): Promise<LoadFigures> {
  return runLoad({
    url: context.gatewayUrl,
    connections: READ_CONNECTIONS,
    overallRate: READS_PER_SECOND,
    durationS: load.durationS,
    warmupS: load.warmupS,
    requests: productGet.requests(context),
    cpu: measureCpu ? load.cpu : undefined,
  });
}

/** Saturating logins (the login line's load) until stopped; answers their count per status. */
function startLogins(context: ScenarioContext, load: LoadSettings): { stop(): Promise<Record<string, number>> } {
  let statuses: Record<string, number> = {};
  let stopper = (): void => undefined;
  const done = new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: context.gatewayUrl,
        connections: load.connections,
        // Outlasts the reads (ramp, warm-up, measurement); stopped as soon as they are done.
        duration: LOGIN_RAMP_S + load.warmupS + load.durationS + 30,
        timeout: 10,
        requests: login.requests(context),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([s, v]) => [s, v.count]));
        resolve();
      },
    );
    stopper = () => instance.stop();
  });
  return {
    stop: async () => {
      stopper();
      await done;
      return statuses;
    },
  };
}

/**
 * `login-interference`: product-get p99 at a fixed rate, first alone (idle), then while logins
 * saturate auth (issue 7: ≤ 2 × idle, i.e. hashing stays off the event loop). The row's figures
 * are the reads beside logins; the ratio is their p99 over the idle p99.
 */
export const loginInterference: Scenario = {
  name: 'login-interference',
  description: `GET /v1/products/:id at ${READS_PER_SECOND}/s (${READ_CONNECTIONS} connections), alone and while POST /v1/auth/login saturates (the login line's connections)`,
  needsUsers: true,
  placesOrders: false,
  probe: async (context) => {
    const reads = await productGet.probe(context);
    return reads.kind === 'ok' ? login.probe(context) : reads;
  },
  requests: () => [],
  measure: async (context, load): Promise<CustomMeasurement> => {
    const idle = await reads(context, load, false);
    const logins = startLogins(context, load);
    let busy: LoadFigures;
    let loginStatuses: Record<string, number>;
    try {
      await sleep(LOGIN_RAMP_S * 1000);
      busy = await reads(context, load, true);
    } finally {
      // On every path, so a failed read run leaves no login load behind it.
      loginStatuses = await logins.stop();
    }
    return {
      figures: busy,
      ratio: { to: 'idle p99', value: idle.p99Ms === 0 ? 0 : busy.p99Ms / idle.p99Ms },
      extra: {
        idleP50Ms: Number(idle.p50Ms.toFixed(2)),
        idleP99Ms: Number(idle.p99Ms.toFixed(2)),
        idleErrors: idle.errors + idle.non2xx,
        loginStatusesDuringReads: loginStatuses,
      },
    };
  },
};
