import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';

const COST = Number(process.env.BCRYPT_COST ?? 10);

export const hashPassword = (plain: string) => bcrypt.hash(plain, COST);
export const verifyPassword = (plain: string, hash: string) => bcrypt.compare(plain, hash);
export const randomPassword = () => randomBytes(12).toString('base64url');
// a hash to compare against when the user does not exist, so timing does not reveal usernames:
// made at the same cost as every real hash, so an unknown user takes as long as a wrong password
export const DUMMY_HASH = bcrypt.hashSync(randomBytes(16).toString('hex'), COST);
