// Measurements shared by the scenarios: API latency under load, event-loop lag seen from outside,
// CPU share over a window. All clocks are monotonic (performance.now()).
import { now, sleep } from '../../bench/lib/util.mjs';
import { UnixHttpClient } from '../../bench/lib/unixhttp.mjs';

export const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/**
 * Sequential API calls on a fresh connection until `until()` is true or `seconds` pass; the
 * latency of each in ms; `.failed` counts the calls that failed (`.lastError` the last reason). `call(client)` is one request (default: XML-RPC getState, which both
 * systems answer cheaply, so the figure is the control plane's responsiveness, not list cost).
 */
export const probeLatency = async (system, { seconds, call, gapMs = 50 }) => {
  const client = new UnixHttpClient(system.socket);
  const times = [];
  const end = now() + seconds * 1000;
  const body =
    '<?xml version="1.0"?><methodCall><methodName>supervisor.getState</methodName><params></params></methodCall>';
  const one =
    call ??
    ((c) => c.request('POST', '/RPC2', { body, headers: { 'Content-Type': 'text/xml' }, timeoutMs: 60_000 }));
  try {
    while (now() < end) {
      const t0 = now();
      try {
        await one(client);
        times.push(now() - t0);
      } catch (error) {
        // A refused or failed call is a figure of the scenario, not the end of it.
        times.failed = (times.failed ?? 0) + 1;
        times.lastError = error.message;
        client.close();
      }
      await sleep(gapMs);
    }
  } finally {
    client.close();
  }
  return times;
};

/** CPU share (percent of one core) of the daemon over `seconds`, with `during` run meanwhile. */
export const cpuPercent = async (system, seconds, during = () => sleep(seconds * 1000)) => {
  const c0 = system.cpuSeconds();
  const t0 = now();
  const result = await during();
  const share = ((system.cpuSeconds() - c0) / ((now() - t0) / 1000)) * 100;
  return { share, result };
};

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));
