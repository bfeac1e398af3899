import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Config } from '../config.ts';

// adminOnly: shown to admins only. registerOnly: shown to staff who may see the contributor
// register (admins and involvement staff), hidden from other staff.
export type NavLink = { href: string; text: string; description?: string; adminOnly?: boolean; registerOnly?: boolean };

export type SeedContext = { db: Db; config: Config; log: (msg: string) => void };

// Each feature declares itself once: its routes plugin, links it adds to menus, and demo content.
export type Feature = {
  name: string;
  routes: (app: FastifyInstance) => Promise<void>;
  adminLinks?: NavLink[];
  mainNav?: NavLink[];
  footerNav?: NavLink[];
  // Demo content for an empty database, run in order of the feature list.
  seed?: (ctx: SeedContext) => Promise<void>;
};
