// Vitest globalSetup (once per project and run): a migrated database that every test file's
// database is copied from, instead of each file running initdb and every migration again.
// PGlite: a migrated in-memory instance dumped to a tarball that openTestDatabase loads
// (`loadDataDir`). PostgreSQL: a migrated database used as `CREATE DATABASE … TEMPLATE`, named per
// run so runs sharing one server never collide, and dropped at the end.
// The template is also started once as an app is (`prepare`): the job queue's schema and queues,
// and what features add at start to an empty database, are made once instead of in every file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, type DbHandle } from '#src/db/client.ts';
import { runMigrations } from '#src/db/migrate.ts';
import { buildApp } from '#src/app.ts';
import { testConfig } from './config.ts';
import { connectOwner } from './postgres-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    // PGlite: the path of the migrated data dir's tarball.
    pgliteTemplate: string;
    // PostgreSQL: the name of the migrated template database on TEST_DATABASE_URL's server.
    postgresTemplate: string;
    // PostgreSQL: how the name of every copy of it starts; the run drops them all when it ends.
    postgresCopyPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  if (project.config.env?.TEST_DB_KIND === 'postgres') return postgresTemplate(project);
  return pgliteTemplate(project);
}

async function pgliteTemplate(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-vitest-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await prepare(handle);
    // Uncompressed: loading is what every test file pays for, and gunzip would add to it.
    const tarball = await handle.pglite!.dumpDataDir('none');
    const path = join(dir, 'pglite-template.tar');
    writeFileSync(path, Buffer.from(await tarball.arrayBuffer()));
    project.provide('pgliteTemplate', path);
  } catch (err) {
    remove();
    throw err;
  } finally {
    await handle.close();
  }
  return remove;
}

async function postgresTemplate(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('The postgres project needs TEST_DATABASE_URL');
  const run = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const name = `coproduce_template_${run}`;
  // This run's connection to the server, open until the run ends, says the run is alive: a run
  // that was stopped (a check failed, Ctrl-C, a kill) cannot drop its databases, and the next run
  // drops those of every run whose connection has gone, on any machine that shares the server.
  const { owner, gone } = await connectOwner(adminUrl, name, 'coproduce_template_');
  const drop = async () => {
    try {
      await dropRun(owner, run);
    } finally {
      await owner.end();
    }
  };
  try {
    for (const template of gone) await dropRun(owner, template.slice('coproduce_template_'.length));
    await owner.query(`create database ${name}`);
  } catch (err) {
    await owner.end();
    throw err;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Every connection to the template must be closed before it can be copied.
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  try {
    await prepare(handle);
  } catch (err) {
    await handle.close();
    await drop();
    throw err;
  }
  await handle.close();
  project.provide('postgresTemplate', name);
  project.provide('postgresCopyPrefix', `coproduce_test_${run}_`);
  return drop;
}

// A run's template and every copy of it (the copies the workers kept for their next files,
// tests/helpers/postgres-reuse.ts, and any a stopped run left).
async function dropRun(admin: pg.Client, run: string) {
  const { rows } = await admin.query<{ name: string }>('select datname as name from pg_database where left(datname, length($1)) = $1', [
    `coproduce_test_${run}_`,
  ]);
  for (const copy of rows) await admin.query(`drop database if exists ${copy.name} with (force)`);
  await admin.query(`drop database if exists coproduce_template_${run} with (force)`);
}

// Migrated, then started and stopped as every test app will be (tests/helpers/app.ts, same config).
async function prepare(handle: DbHandle) {
  await runMigrations(handle);
  const app = await buildApp({ config: testConfig(), database: handle });
  await app.ready();
  await app.close();
}
