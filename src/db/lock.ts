import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// PGlite has no lock of its own and two processes on one data dir corrupt it, so we keep a
// pid file. A lock left by a process that no longer exists is taken over.
export class DataDirLock {
  readonly path: string;
  private held = false;
  constructor(dataDir: string) {
    this.path = join(dataDir, 'coproduce.pid');
  }

  acquire(): { ok: true } | { ok: false; pid: number } {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.held = true;
        process.once('exit', () => this.release());
        return { ok: true };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(readFileSync(this.path, 'utf8').trim());
        if (pid && pid !== process.pid && isAlive(pid)) return { ok: false, pid };
        rmSync(this.path, { force: true });
      }
    }
    return { ok: false, pid: 0 };
  }

  release() {
    if (!this.held) return;
    this.held = false;
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
