import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FullConfig } from "@playwright/test";
import { ADMIN_PASSWORD, PASSWORD, startServer, stopServer } from "./server";
import { printTimings, timingsFile } from "./timings";

/** Starts the server once for all tests; the returned function stops it (and any session left) afterwards. */
export default async function globalSetup(_config: FullConfig) {
  mkdirSync(fileURLToPath(new URL("../test-results/", import.meta.url)), { recursive: true });
  rmSync(timingsFile, { force: true });
  const server = await startServer();
  // Workers inherit these: fixtures.ts reads them.
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_ADMIN_PASSWORD = ADMIN_PASSWORD;
  process.env.E2E_PASSWORD = PASSWORD;
  console.log(`e2e: server ${server.baseUrl} (database in ${server.folder})`);
  return async () => {
    await stopServer(server);
    printTimings();
  };
}
