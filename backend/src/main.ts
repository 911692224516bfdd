// The API process: validate configuration, listen, drain on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config/index.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) process.stderr.write(`config: ${problem}\n`);
  process.stderr.write('config: fix the variables above (see .env.example) and start again\n');
  process.exit(1);
}

const app = await buildApp(config);

const drainMs = config.SHUTDOWN_DRAIN_MS;
closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS + drainMs, logger: app.log }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'fatal error; shutting down');
  else if (drainMs > 0) {
    // Health checks fail first; the load balancer moves away while requests are still served.
    app.draining = true;
    app.log.info({ signal, drainMs }, 'shutting down: failing health checks before closing');
    await new Promise((resolve) => setTimeout(resolve, drainMs));
  }
  if (!err) app.log.info({ signal }, 'shutting down: draining in-flight requests');
  await app.close();
  app.log.info('shut down cleanly');
});

try {
  await app.listen({ host: config.HOST, port: config.PORT });
} catch (error) {
  app.log.fatal({ err: error }, `could not listen on ${config.HOST}:${config.PORT}`);
  await app.close();
  process.exit(1);
}
// performance.now() counts from process start, module loading included.
app.log.info({ startupMs: Math.round(performance.now()) }, 'ready');
