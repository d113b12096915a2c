// A periodic website observer for the example config: fetches a URL every few seconds and logs
// the status and latency, the way an uptime checker would.
const url = process.env.TARGET_URL ?? 'http://127.0.0.1:18080/';
const everyMs = Number(process.env.INTERVAL_SECONDS ?? 5) * 1000;

const observe = async () => {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const ms = (performance.now() - started).toFixed(1);
    console.log(`${new Date().toISOString()} ${url} ${response.status} ${ms}ms`);
  } catch (error) {
    console.error(`${new Date().toISOString()} ${url} unreachable: ${error.cause?.code ?? error.message}`);
  }
};

await observe();
setInterval(observe, everyMs);
process.on('SIGTERM', () => process.exit(0));
