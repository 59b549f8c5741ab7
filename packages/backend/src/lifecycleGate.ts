import { Config, readDurationFromConfig } from '@backstage/config';
import { RootHttpRouterConfigureContext } from '@backstage/backend-defaults/rootHttpRouter';

/** Express's handler type, as the root router's middleware uses it. */
type RequestHandler = ReturnType<
  RootHttpRouterConfigureContext['middleware']['rateLimit']
>;
type Response = Parameters<RequestHandler>[1];

/** How long a request that arrives during startup waits before a 503. */
export const STARTUP_WAIT_MS = 10_000;
/** Longest wait for in-flight requests on shutdown (under Kubernetes' 30 s grace). */
export const DRAIN_TIMEOUT_MS = 25_000;
/** The `Retry-After` of a 503, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

type Phase = 'starting' | 'serving' | 'draining';

/**
 * The lifecycle `rootHttpRouterServiceFactory` hands to `configure`: typed
 * there as a plugin LifecycleService, it is the root lifecycle, which also
 * runs hooks before shutdown (before plugins close their databases).
 */
export type GateLifecycle = {
  addStartupHook(hook: () => void): void;
  addBeforeShutdownHook?(hook: () => Promise<void>): void;
};

const MS = {
  years: 365 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

/** `backend.lifecycle.serverShutdownDelay`, which Backstage waits out before stopping. */
function shutdownDelayMs(config: Config): number {
  const key = 'backend.lifecycle.serverShutdownDelay';
  if (!config.has(key)) {
    return 0;
  }
  const duration = readDurationFromConfig(config, { key });
  return Object.entries(duration).reduce(
    (sum, [unit, n]) => sum + (MS[unit as keyof typeof MS] ?? 0) * (n ?? 0),
    0,
  );
}

/**
 * Gates `/api/*` on the backend's lifecycle. The HTTP server listens before
 * the plugins have registered their routes, so a request during startup would
 * get a 404 ("wrong URL") instead of "retry": it waits until the backend has
 * started (at most STARTUP_WAIT_MS), then gets a 503 with `Retry-After`. On
 * shutdown (SIGTERM), after Backstage's optional serverShutdownDelay, new
 * requests get a 503 (`Connection: close`) and the shutdown waits for the
 * requests in flight, before plugins close their databases and the server
 * closes its connections (which in development resets any still open).
 */
export function createLifecycleGate(options: {
  lifecycle: GateLifecycle;
  config: Config;
  startupWaitMs?: number;
  drainTimeoutMs?: number;
}): RequestHandler {
  const {
    lifecycle,
    config,
    startupWaitMs = STARTUP_WAIT_MS,
    drainTimeoutMs = DRAIN_TIMEOUT_MS,
  } = options;
  if (!lifecycle.addBeforeShutdownHook) {
    throw new Error('createLifecycleGate needs the root lifecycle service');
  }
  let phase: Phase = 'starting';
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  const started = new Promise<void>(resolve => {
    lifecycle.addStartupHook(() => {
      phase = 'serving';
      resolve();
    });
  });

  lifecycle.addBeforeShutdownHook(async () => {
    await new Promise(r => setTimeout(r, shutdownDelayMs(config)));
    phase = 'draining';
    if (inFlight === 0) {
      return;
    }
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, drainTimeoutMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  });

  const refuse = (res: Response) => {
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (phase === 'draining') {
      res.setHeader('Connection', 'close');
    }
    const message =
      phase === 'draining'
        ? 'The backend is shutting down'
        : 'The backend is starting';
    res.status(503).json({
      error: {
        name: 'ServiceUnavailableError',
        message: `${message}; retry in ${RETRY_AFTER_SECONDS} seconds`,
      },
      response: { statusCode: 503 },
    });
  };

  const admit: RequestHandler = (_req, res, next) => {
    inFlight += 1;
    let done = false;
    res.once('close', () => {
      if (done) return;
      done = true;
      inFlight -= 1;
      if (inFlight === 0) onIdle?.();
    });
    next();
  };

  return async (req, res, next) => {
    if (!req.path.startsWith('/api/')) {
      next();
      return;
    }
    if (phase === 'starting') {
      await Promise.race([
        started,
        new Promise(r => setTimeout(r, startupWaitMs)),
      ]);
    }
    if (phase === 'serving') {
      admit(req, res, next);
      return;
    }
    refuse(res);
  };
}
