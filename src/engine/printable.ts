// Text from objects made safe to show: control characters written as visible \uXXXX escapes.
// Shared by the webhook's answers (the API server drops a warning holding a control character,
// and kubectl prints a denial to the terminal as is) and the CLI's text and JUnit reports.

/** One UTF-16 unit as the \uXXXX escape a reader sees (ESC as \u001b). */
export const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Control characters (Go's unicode.IsControl: C0, DEL, C1) as \uXXXX escapes. Tested first: almost
 * no text holds one, and replace() with a callback costs on every call.
 */
export const printable = (s: string): string => (CONTROL.test(s) ? s.replace(CONTROLS, unicodeEscape) : s);
