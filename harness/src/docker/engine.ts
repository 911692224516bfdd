// The Docker Engine API (through dockerode): one client for the process.
import Docker from 'dockerode';

let client: Docker | undefined;

/** The engine DOCKER_HOST (or the default socket) points at. */
export function engine(): Docker {
  client ??= new Docker();
  return client;
}

export interface EngineInfo {
  serverVersion: string;
  /** Where images and containers live on the engine's machine. */
  rootDir: string;
}

/** Whether the engine answers, and what it is; throws when it does not. */
export async function engineInfo(): Promise<EngineInfo> {
  const info = (await engine().info()) as { ServerVersion?: string; DockerRootDir?: string };
  return { serverVersion: info.ServerVersion ?? 'unknown', rootDir: info.DockerRootDir ?? '' };
}
