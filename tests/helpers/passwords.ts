import { passwordHashing } from '#src/platform/identity/better-auth.ts';

// Password hashing remembered for the test run (ADR 14). scrypt is a pure function of the password
// and the salt: the first time a worker hashes a password it runs better-auth's real scrypt, and
// later hashes of the same password get that same salted hash (a valid hash of it); a check of a
// password against a hash runs the real scrypt the first time and remembers the answer, and a hash
// this worker made is known to match the password it was made from. Wrong passwords are still
// refused by a real check; only repeated work goes (each call cost 0.1–0.2 s of CPU, in thousands
// of sign-ins). The journeys' server and `npm start` never load this.
let installed = false;
export function rememberPasswordHashes() {
  if (installed) return;
  installed = true;
  const { hash, verify } = passwordHashing;
  const hashes = new Map<string, Promise<string>>();
  const checks = new Map<string, Promise<boolean>>();
  const checkKey = (hashed: string, password: string) => `${hashed}\u0000${password}`;
  passwordHashing.hash = (password) => {
    let made = hashes.get(password);
    if (!made) {
      made = hash(password);
      hashes.set(password, made);
      made.then((hashed) => checks.set(checkKey(hashed, password), Promise.resolve(true))).catch(() => hashes.delete(password));
    }
    return made;
  };
  passwordHashing.verify = (data) => {
    const key = checkKey(data.hash, data.password);
    let checked = checks.get(key);
    if (!checked) {
      checked = verify(data);
      checks.set(key, checked);
      checked.catch(() => checks.delete(key));
    }
    return checked;
  };
}
