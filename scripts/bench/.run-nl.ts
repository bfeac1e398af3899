import { benchNewsletter } from '/work/main/scripts/bench/newsletter.ts';
import { cleanupAll, installExitHandlers } from '/work/main/scripts/bench/lib/children.ts';
installExitHandlers();
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const r = await benchNewsletter({ root: '/work/main/', log, recipients: Number(process.argv[2] ?? 100000) });
console.log(JSON.stringify(r, null, 2));
await cleanupAll();
