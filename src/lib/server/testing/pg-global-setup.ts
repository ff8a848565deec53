import type { TestProject } from 'vitest/node';
import { buildTemplate, dropRunDatabases } from './postgres';
import { testServerUrl } from './test-server';

// Vitest's globalSetup for unit tests on PostgreSQL (vite.config.ts): the template database, migrated once per
// run, and every database of the run dropped at its end, even those a crashed worker left behind.

declare module 'vitest' {
	export interface ProvidedContext {
		postgresTemplate: { serverUrl: string; runId: string; template: string } | null;
	}
}

export default async function setup(project: TestProject) {
	const serverUrl = testServerUrl();
	if (!serverUrl) {
		project.provide('postgresTemplate', null);
		return;
	}
	const runId = `${process.pid}_${Date.now().toString(36)}`;
	const template = await buildTemplate(serverUrl, runId);
	project.provide('postgresTemplate', { serverUrl, runId, template });
	return async () => {
		await dropRunDatabases(serverUrl, runId);
	};
}
