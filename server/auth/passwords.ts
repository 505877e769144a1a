import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';

// BCRYPT_COST is checked at start-up (config.ts refuses anything but 4–15); a script or test that
// skips that check still never hashes with a cost bcrypt would misread
const cost = Number(process.env.BCRYPT_COST ?? 10);
const COST = Number.isInteger(cost) && cost >= 4 && cost <= 15 ? cost : 10;

export const hashPassword = (plain: string) => bcrypt.hash(plain, COST);
export const verifyPassword = (plain: string, hash: string) => bcrypt.compare(plain, hash);
export const randomPassword = () => randomBytes(12).toString('base64url');
// a hash to compare against when the user does not exist, so timing does not reveal usernames:
// made at the same cost as every real hash, so an unknown user takes as long as a wrong password
export const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString('hex'), COST);
