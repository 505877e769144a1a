/**
 * Control characters in text (SPEC section 13): a text field refuses NUL and every other control
 * character except tab and line breaks; the iCal feed strips them. One definition for both.
 */

// C0 controls except tab (09), line feed (0A) and carriage return (0D); DEL; the C1 controls
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** True when the text holds a control character a text field refuses. */
export function hasControlChars(s: string): boolean {
  return CONTROL.test(s);
}

/** The text without the control characters a text field refuses (tab and line breaks stay). */
export function stripControlChars(s: string): string {
  return s.replace(CONTROL_ALL, '');
}
