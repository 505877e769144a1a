/**
 * Passwords that pass the length rule but are guessed first: the most common ones of 10 or more
 * characters in public breach lists (German and English), keyboard rows and counting sequences.
 */
const COMMON = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '12345678910', '123456789a', 'a123456789', '1234567890a',
  '123456789q', '12345678900', '1111111111', '0000000000', '1234512345', '1122334455', '1212121212', '123123123123',
  'qwertyuiop', 'qwertzuiop', 'asdfghjkl1', 'asdfghjklö', 'yxcvbnm123', 'zxcvbnm123', '1q2w3e4r5t', '1q2w3e4r5t6z',
  '1q2w3e4r5t6y', 'q1w2e3r4t5', '1qaz2wsx3edc', 'qwerty1234', 'qwertz1234', 'qwerty12345', 'qwertz12345', 'asdf123456',
  'password12', 'password123', 'password1234', 'password!1', 'passwort12', 'passwort123', 'passwort1234', 'passwort!1',
  'passwort01', 'password01', 'kennwort12', 'kennwort123', 'geheim1234', 'geheim12345', 'iloveyou12', 'iloveyou123',
  'ichliebedich', 'ichliebedich1', 'hallo12345', 'hallo123456', 'hallohallo', 'schalke0404', 'fussball12', 'fussball123',
  'borussia09', 'bayern1900', 'bayernmuenchen', 'sommer2024', 'sommer2025', 'sommer2026', 'winter2024', 'winter2025',
  'winter2026', 'herbst2025', 'herbst2026', 'fruehling2026', 'welcome123', 'welcome1234', 'willkommen', 'willkommen1',
  'willkommen123', 'letmein123', 'abcdefghij', 'abcdefghijk', 'abcd123456', 'abc1234567', 'abcde12345', 'administrator',
  'administrator1', 'admin12345', 'admin123456', 'adminadmin', 'rootroot12', 'changeme12', 'changeme123', 'starwars12',
  'dragon1234', 'football12', 'baseball12', 'superman12', 'princess12', 'sunshine12', 'trustno1234', 'monkey1234',
  'michael123', 'master1234', 'computer12', 'computer123', 'internet12', 'stadtulm12', 'ulm1234567', 'standortplanung',
]);

/** True when the password is on the list, differs from one only in case, or is one character repeated. */
export function isCommonPassword(password: string, username?: string): boolean {
  const p = password.toLowerCase();
  if (COMMON.has(p)) return true;
  if (new Set(p).size <= 3) return true;
  if (username && p.includes(username.trim().toLowerCase()) && p.length - username.trim().length < 6) return true;
  // one step up or down the whole way (abcdefghij, 3456789012 counting over 9)
  const codes = [...p].map((c) => c.charCodeAt(0));
  const step = codes[1] - codes[0];
  if (Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - codes[i - 1] === step || (/\d/.test(p[i]) && (c - codes[i - 1] + 10) % 10 === (step + 10) % 10))) return true;
  return false;
}
