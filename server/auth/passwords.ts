import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';

const COST = Number(process.env.BCRYPT_COST ?? 10);

export const hashPassword = (plain: string) => bcrypt.hash(plain, COST);
export const verifyPassword = (plain: string, hash: string) => bcrypt.compare(plain, hash);
export const randomPassword = () => randomBytes(12).toString('base64url');
// a hash to compare against when the user does not exist, so timing does not reveal usernames
export const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 4);
